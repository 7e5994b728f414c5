package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestBenchDiscord runs the load tool briefly over Discord: the real bot
// in-process against discordfake, with latency and Discord's limits on.
// It checks that every conversation reached its ticket, every ticket was
// claimed and resolved by interactions, and the report names each figure;
// it asserts no timing.
func TestBenchDiscord(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the whole bot")
	}
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"conversations", []string{"-employees", "3", "-reports", "3", "-agents", "2"}, []string{
			"over discord", "3 done, 0 astray; agents: 3 claims, 3 resolves", "3 triage cards posted for 3 tickets",
			"5 messages per 5s per channel", "msgs/s", "event→ack          p50", "event→reply        p50",
			"posts per channel  peak", "CPU", "peak RSS", "database", "POST /interactions/{id}/{id}/callback",
		}},
		{"storm", []string{"-storm", "VPN is down", "-employees", "4", "-reports", "4"}, []string{`storm: 4 reports of "VPN is down"`, "4 done, 0 astray"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"bench", "-platform", "discord", "-latency", "2ms", "-think", "10ms", "-limits", "-timeout", "2m", "-data", t.TempDir()}, c.args...)
			if code := run(context.Background(), args, env{stdout: &out, stderr: &errOut, now: time.Now}); code != 0 {
				t.Fatalf("bench exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
			}
			got := out.String()
			for _, want := range append(c.want, "unanswered 0") {
				if !strings.Contains(got, want) {
					t.Errorf("report lacks %q:\n%s", want, got)
				}
			}
			if strings.Contains(got, "p50 —") {
				t.Errorf("a latency has no samples:\n%s", got)
			}
		})
	}
}
