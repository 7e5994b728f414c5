package bot

import (
	"strings"
	"testing"
)

// TestMineListsAgentsWork: an agent's /mine lists, beside the tickets they
// reported, those assigned to them and those they own at tier 1 that are
// escalated (which their /queue no longer shows); a requester's /mine is
// their tickets alone.
func TestMineListsAgentsWork(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.finish("bob", d.run("bob", "the printer on floor 3 jams on every page"))
	d.run("dana", "/claim 1")
	d.run("dana", "/claim 2")
	wantIn(t, "escalation", d.run("dana", "/escalate 1 2 steps: rebooted -> same error 809 | system: device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: error 809"), "assigned to Sam")
	if q := d.run("dana", "/queue"); strings.Contains(q, "#1 ") {
		t.Fatalf("dana's /queue still lists the escalated #1:\n%s", q)
	}

	for _, tc := range []struct {
		user      string
		want, not []string
	}{
		{"dana", []string{"Working on (1):", "#2 ", "from bob", "You own, escalated (1):", "#1 ", "(Sam)", "from amy"}, []string{"Your tickets", "no open tickets"}},
		{"sam", []string{"Working on (1):", "#1 ", "from amy"}, []string{"You own", "#2 ", "Your tickets"}},
		{"tom", []string{"You have no open tickets", "/queue"}, []string{"Working on", "You own"}},
		{"amy", []string{"Your tickets (1):", "#1 "}, []string{"Working on", "You own", "from amy", "#2 "}},
	} {
		out := d.run(tc.user, "/mine")
		wantIn(t, tc.user+"'s /mine", out, tc.want...)
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%s's /mine shows %q:\n%s", tc.user, n, out)
			}
		}
	}
	// Each list in its own section: the one dana is working on first.
	if out := d.run("dana", "/mine"); strings.Index(out, "#2 ") > strings.Index(out, "You own") {
		t.Errorf("#2 is not under Working on:\n%s", out)
	}

	// An agent's own report is listed as a requester's is, apart from
	// their work.
	d.finish("tom", d.run("tom", "my second monitor flickers all the time"))
	wantIn(t, "tom's own report", d.run("tom", "/mine"), "Your tickets (1):", "#3 ")

	// Resolved, a ticket is no longer work.
	d.run("sam", "/resolve 1 replaced the VPN profile")
	if out := d.run("dana", "/mine"); strings.Contains(out, "You own") {
		t.Errorf("a resolved ticket is still listed as owned:\n%s", out)
	}
}
