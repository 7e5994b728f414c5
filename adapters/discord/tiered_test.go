package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The tiered desk through Discord: the escalation modal prefilled and
// refused for a missing handoff part, then accepted; the owner told of
// tier-2 work; a merge; a major incident absorbing three reports with one
// update reaching each once; a third-party reset flagged; a requester
// refused another person's ticket.

func TestEscalationModalAndOwner(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	card := reportInDM(t, d, alice)
	m := f.mark()
	d.click(discordfake.Triage, dana, nil, card.button(t, "Claim"))
	f.waitCall(m, "PATCH", "/channels/"+discordfake.Triage+"/messages/", "Assigned: Dana")

	// The Escalate button opens the handoff form, prefilled from intake.
	m = f.mark()
	d.click(discordfake.Triage, dana, nil, card.button(t, "Escalate"))
	c, m := f.waitCall(m, "POST", "/callback", `"type":9`)
	for _, want := range []string{`"custom_id":"modal:escalate:1"`, `"value":"2"`, `"value":"P3"`, "The VPN server did not respond", "rebooted"} {
		if !strings.Contains(string(c.Body), want) {
			t.Errorf("escalation modal lacks %s: %s", want, c.Body)
		}
	}
	// Submitted as prefilled, it lacks each step's result and the versions.
	prefilled := map[string]string{"to": "2", "description": "VPN fails: The VPN server did not respond", "steps": "rebooted",
		"priority": "P3", "system": "device: laptop; versions: ; error: The VPN server did not respond"}
	d.submit(discordfake.Triage, dana, nil, "modal:escalate:1", prefilled)
	c, m = f.waitCall(m, "POST", "/callback", "was not sent")
	for _, want := range []string{`\"rebooted\"`, "versions", `"flags":64`} {
		if !strings.Contains(string(c.Body), want) {
			t.Errorf("refusal lacks %s: %s", want, c.Body)
		}
	}
	if tk := d.ticket(1); tk.Tier != 1 {
		t.Fatalf("refused escalation moved the ticket to tier %d", tk.Tier)
	}
	prefilled["steps"] = "rebooted -> same error"
	prefilled["system"] = "device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: The VPN server did not respond"
	d.submit(discordfake.Triage, dana, nil, "modal:escalate:1", prefilled)
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "escalated to tier2")
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "is now with Sam (tier 2)")
	if tk := d.ticket(1); tk.Tier != 2 || tk.Owner != "discord:"+dana || tk.Assignee != "discord:"+sam {
		t.Fatalf("after escalation: tier %d owner %q assignee %q", tk.Tier, tk.Owner, tk.Assignee)
	}

	// Tier 2 works it; the tier-1 owner hears of it directly.
	m = f.mark()
	d.slash(discordfake.Triage, sam, "note", "ticket", 1, "text", "gateway certificate expired")
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(dana)+"/messages", "On your escalated ticket #1")
	if n := f.count(0, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "certificate"); n != 0 {
		t.Errorf("the tier 2 note reached the requester %d times", n)
	}
	checkNoMentions(t, f)
}

func TestMergeMajorIncidentAndFlags(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	reportInDM(t, d, alice) // #1
	reportInDM(t, d, bob)   // #2, the same problem

	// A requester cannot see, or merge, someone else's ticket.
	m := f.mark()
	d.slash(discordfake.DMChannel(bob), bob, "status", "ticket", 1)
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "You have no ticket #1")
	d.slash(discordfake.DMChannel(bob), bob, "merge", "ticket", 2, "into", 1)
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Only help desk agents")

	d.slash(discordfake.Triage, dana, "merge", "ticket", 2, "into", 1)
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(bob)+"/messages", "#2 is the same problem as #1")
	if tk := d.ticket(2); tk.Status != tickets.StatusClosed || tk.LinkedTo != 1 {
		t.Fatalf("merged #2: %s linked to %d", tk.Status, tk.LinkedTo)
	}

	// A major incident absorbs three new reports; one update reaches each
	// affected person once (alice, bob through the merge, and the three).
	d.slash(discordfake.Triage, sam, "major", "ticket", 1, "service", "VPN")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "now a major incident")
	reporters := []string{"611", "612", "613"}
	for _, u := range reporters {
		m := f.mark()
		d.dm(u, "the VPN is down for me too")
		f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(u)+"/messages", "known major incident #1 (VPN)")
	}
	m = f.mark()
	d.slash(discordfake.Triage, sam, "update", "ticket", 1, "text", "Gateway restart under way")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Update sent to 5 affected people")
	for _, u := range append([]string{alice, bob}, reporters...) {
		f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(u)+"/messages", "Gateway restart under way")
	}
	d.disp.DeliverDue(context.Background())
	for _, u := range append([]string{alice, bob}, reporters...) {
		if n := f.count(m, "POST", "/channels/"+discordfake.DMChannel(u)+"/messages", "Gateway restart under way"); n != 1 {
			t.Errorf("user %s got the update %d times, want once", u, n)
		}
	}

	// A password reset for someone else is never self-served, and flagged.
	m = f.mark()
	d.dm("621", "Please reset Carol's password, I'm her manager")
	c, _ := f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel("621")+"/messages", "")
	if strings.Contains(string(c.Body), "might fix it right away") {
		t.Errorf("a third-party reset was offered self-service: %s", c.Body)
	}
	checkNoMentions(t, f)
}
