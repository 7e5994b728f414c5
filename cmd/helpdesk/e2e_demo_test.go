package main

import (
	"testing"
)

// The console without a config has a tier-2 demo agent, so escalation and
// major incidents can be tried before writing one; the banner says who
// /as plays, from the config.
func TestConsoleDemoAgents(t *testing.T) {
	d := newDesk(t)
	openVPNTicket(d)
	out := d.session("dana",
		"/claim 1",
		"/escalate 1 2 steps: rebooted -> same error | system: device: laptop; versions: macOS 15.1, GlobalProtect 6.2; error: The VPN server did not respond",
		"/as sam",
		"/major 1 VPN",
	)
	contains(t, out,
		"/as dana (tier 1) or /as sam (tier 2) plays an agent",
		"#1 escalated to tier2 (tier 2), assigned to Sam",
		"#1 is now a major incident",
	)
	if tk := d.ticket(1); tk.Assignee != "console:sam" || tk.Tier != 2 {
		t.Errorf("escalated ticket: assignee %q tier %d", tk.Assignee, tk.Tier)
	}

	d = newDesk(t)
	d.config = tieredConfig
	contains(t, d.session("alice"), "/as dana (tier 1), /as sam (tier 2) or /as mia (manager) plays an agent")
	d = newDesk(t)
	d.config = "agents: [{name: Dana, ids: [\"slack:U0123ABC\"]}]\n"
	contains(t, d.session("alice"), "no agent in the config has a console:NAME id for /as to play")
}
