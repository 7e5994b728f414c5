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

// An escalation to a tier nobody on the desk works at is refused, since no
// one could take the ticket there and tier 1 could not send it back; to a
// tier only a manager reaches, it goes unassigned, and the history says so.
func TestEscalationNobodyAtTier(t *testing.T) {
	const handoff = " steps: rebooted -> same error 809 | system: device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: error 809"
	tests := []struct {
		name   string
		agents []Agent
		want   []string
		tier   int
	}{
		{"only tier 1", []Agent{{Name: "Dana", IDs: []string{"test:dana"}, Tier: 1, Role: RoleAgent}},
			[]string{"Nobody on this desk works at tier 2", "Add one under agents in the config (tier: 2)"}, 1},
		{"a manager reaches it", []Agent{{Name: "Dana", IDs: []string{"test:dana"}, Tier: 1, Role: RoleAgent}, {Name: "Mia", IDs: []string{"test:mia"}, Tier: 1, Role: RoleManager}},
			[]string{"#1 escalated to tier2 (tier 2), assigned to nobody yet"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t, func(c *Config, _ *Options) { c.Agents, c.Teams = tt.agents, nil })
			id := d.openVPN("amy")
			d.run("dana", "/claim 1")
			wantIn(t, "escalation", d.run("dana", "/escalate 1 2"+handoff), tt.want...)
			if tk := d.ticket(id); tk.Tier != tt.tier {
				t.Errorf("ticket at tier %d, want %d", tk.Tier, tt.tier)
			}
			if tt.tier == 2 {
				show := d.run("mia", "/show 1")
				wantIn(t, "history", show, "Dana: unassigned")
				if strings.Contains(show, "assigned to \n") || strings.HasSuffix(show, "assigned to ") {
					t.Errorf("history names nobody as the assignee:\n%s", show)
				}
			}
		})
	}
	d := newDesk(t)
	d.openVPN("amy")
	wantIn(t, "unknown tier", d.run("dana", "/escalate 1 5"+handoff), `"5" is not a tier or team. Use 2 or 3.`)
}

// A command over the size limit is told so in an agent's terms, not asked
// to "describe the problem"; a report over it still is.
func TestTooLongCommand(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	tests := []struct{ user, text, want, not string }{
		{"dana", "/reply 1 " + strings.Repeat("x", 50000), "That command is too long for me (50009 bytes; the limit is 4000). Shorten it", "describe the problem"},
		{"dana", "  /note 1 " + strings.Repeat("y ", 3000), "That command is too long for me", "describe the problem"},
		{"bob", "outlook is slow " + strings.Repeat("lorem ipsum ", 1000), "Please describe the problem in a few sentences", "command"},
	}
	for _, tt := range tests {
		out := d.run(tt.user, tt.text)
		wantIn(t, tt.text[:12], out, tt.want)
		if strings.Contains(out, tt.not) {
			t.Errorf("%s…: %q in\n%s", tt.text[:12], tt.not, out)
		}
	}
}

// The desk's news names an agent as its other news does ("Dana claimed
// #1"), and an update to one person says "person".
func TestNewsNamesAndCounts(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/resolve 1 reset the VPN profile")
	d.delivered()
	d.run("dana", "/reopen 1 amy says it is back")
	wantIn(t, "reopen news", strings.Join(d.delivered()["#triage"], "\n"), "Dana reopened #1")

	d.run("sam", "/major 1 VPN")
	d.delivered()
	wantIn(t, "update reply", d.run("sam", "/update 1 gateway restarting"), "Update sent to 1 affected person.")
	news := strings.Join(d.delivered()["#triage"], "\n")
	wantIn(t, "update news", news, "Sam posted an update to 1 affected person:")
}
