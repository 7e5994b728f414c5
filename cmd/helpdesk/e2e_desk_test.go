package main

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The tiered desk through the console: escalation, ownership, merge, major
// incidents and security flags, as agents and requesters see them.

const tieredConfig = `
agents:
  - {name: Dana, ids: [console:dana], tier: 1}
  - {name: Sam, ids: [console:sam], tier: 2}
  - {name: Mia, ids: [console:mia], role: manager}
`

func TestConsoleEscalation(t *testing.T) {
	d := newDesk(t)
	d.config = tieredConfig
	openVPNTicket(d)
	out := d.session("dana",
		"/claim 1",
		"/escalate 1 2",
		"/escalate 1 2 steps: rebooted -> same error | system: device: laptop; versions: macOS 15.1, GlobalProtect 6.2; error: The VPN server did not respond",
		"/as sam",
		"/queue",
		"/note 1 the gateway certificate expired",
		"/as dana",
	)
	contains(t, out,
		"#1 cannot be escalated yet", `what each step did (write "step -> result") for "rebooted"`, "the OS and app versions",
		"#1 escalated to tier2 (tier 2), assigned to Sam",
		"[message for alice] Your ticket #1", "is now with Sam (tier 2), who can go deeper. Dana stays your contact",
		"Escalated to tier2 (tier 2)", "Handoff note:", "rebooted -> same error",
		"Open tickets, tiers 1–2 (1)",
		"[message for dana] On your escalated ticket #1", "the gateway certificate expired",
	)
	lacks(t, out, "[message for alice] Sam", "certificate expired\n     (Just answer")
	tk := d.ticket(1)
	if tk.Owner != "console:dana" || tk.Assignee != "console:sam" || tk.Tier != 2 {
		t.Errorf("ticket owner %q assignee %q tier %d", tk.Owner, tk.Assignee, tk.Tier)
	}
}

func TestConsoleMajorIncident(t *testing.T) {
	d := newDesk(t)
	d.config = tieredConfig
	openVPNTicket(d)
	out := d.session("sam", "/major 1 VPN")
	contains(t, out, "#1 is now a major incident")
	for _, user := range []string{"ben", "cy", "di"} {
		contains(t, d.session(user, "the VPN is down for me as well"), "This looks like a known major incident #1 (VPN)")
	}
	out = d.session("sam", "/update 1 Gateway restart in progress, back by 15:00")
	contains(t, out, "Update sent to 4 affected people")
	for _, user := range []string{"alice", "ben", "cy", "di"} {
		if n := strings.Count(out, "[message for "+user+"] "); n != 1 {
			t.Errorf("%s got the update %d times:\n%s", user, n, out)
		}
	}
	// The linked reporters hear that it is resolved; the resolution was
	// written to alice.
	out = d.session("sam", "/resolve 1 Gateway certificate renewed")
	contains(t, out, "[message for alice] Your ticket #1")
	for _, user := range []string{"ben", "cy", "di"} {
		contains(t, out, "[message for "+user+"] The major incident #1 (VPN), which your report")
	}
	contains(t, out, "The 3 reporters linked to this major incident were told only that it changed, not your text; /update 1 TEXT tells everyone affected.")
	for _, tk := range d.tickets() {
		if tk.Status != tickets.StatusResolved {
			t.Errorf("%s is %s after the major incident was resolved", tk.Ref(), tk.Status)
		}
	}
}

func TestConsoleMergeAndFlags(t *testing.T) {
	d := newDesk(t)
	d.config = tieredConfig
	openVPNTicket(d)
	out := d.session("bob", "Please reset Carol's password, I'm her manager and she needs it urgently",
		"her laptop", "skip", "this morning", "nothing yet", "just her")
	lacks(t, out, "might fix it right away")
	contains(t, out, "Ticket #2 is open")
	out = d.session("bob", "/status 1", "/as dana", "/show 2", "/merge 2 into 1", "/as bob", "/status 2")
	contains(t, out,
		"You have no ticket #1",
		"Identity verification required", "Social-engineering cues",
		"#2 is merged into #1 and closed",
		"[message for bob] Your ticket #2 is the same problem as #1",
	)
	status := out[strings.LastIndex(out, "You are now bob"):]
	lacks(t, status, "Identity verification", "flagged")
}
