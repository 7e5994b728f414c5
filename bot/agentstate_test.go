package bot

import (
	"strings"
	"testing"
	"time"
)

// An agent command on a ticket in the wrong state says what is wrong and
// what to do, and changes nothing.
func TestAgentCommandWrongState(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/resolve 1 reset the VPN profile")
	resolvedAt := d.ticket(id).ResolvedAt
	d.now = d.now.Add(time.Hour)

	tests := []struct {
		name, cmd string
		want      []string
	}{
		{"resolve a resolved ticket", "/resolve 1 something else", []string{"#1 is already resolved:", "> reset the VPN profile", "/reopen 1"}},
		{"pending on a resolved ticket", "/pending 1 did it work?", []string{"#1 is resolved; reopen it first with /reopen 1."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := d.run("dana", tt.cmd)
			wantIn(t, tt.cmd, out, tt.want...)
			if strings.Contains(out, "#1 resolved.") || strings.Contains(out, "pending on the requester") {
				t.Errorf("%s claims it did something:\n%s", tt.cmd, out)
			}
			tk := d.ticket(id)
			if tk.Resolution != "reset the VPN profile" || !tk.ResolvedAt.Equal(resolvedAt) {
				t.Errorf("%s changed the resolution to %q at %v", tt.cmd, tk.Resolution, tk.ResolvedAt)
			}
		})
	}
}
