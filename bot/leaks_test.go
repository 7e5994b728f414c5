package bot

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The three leaks, as they were found: an agent reading notes about
// their own report, merged and linked reporters reading what was written
// to someone else, and KB drafts carrying notes any agent could read.

// TestAgentAsRequester: Tom, a tier-1 agent, reports a problem of his own;
// it goes to tier 3, where Max notes something Tom must not read yet. On
// his own ticket Tom is its reporter: /status shows neither the handoff nor
// the note, /show and /summary do not either.
func TestAgentAsRequester(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("tom")
	d.run("dana", "/claim 1")
	wantIn(t, "escalate", d.run("dana", "/escalate 1 3 steps: rebooted -> same error 809 | system: device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: error 809"), "#1")
	d.run("max", "/note 1 His laptop is flagged for the disciplinary review, do not tell him yet")
	if tk := d.ticket(id); tk.Tier != 3 {
		t.Fatalf("ticket at tier %d, want 3", tk.Tier)
	}
	status := d.run("tom", "/status 1")
	wantIn(t, "tom's status", status, "#1")
	for _, secret := range []string{"do not tell him yet", "handoff note", "rebooted -> same error 809"} {
		if strings.Contains(status, secret) {
			t.Errorf("tom's /status shows %q:\n%s", secret, status)
		}
	}
	if out := d.run("tom", "/show 1"); strings.Contains(out, "do not tell him yet") || !strings.Contains(out, "above yours") {
		t.Errorf("tom's /show: %s", out)
	}
	// The same ticket at Tom's own tier: still his report, still no notes.
	d.run("max", "/deescalate 1 back to tier 1")
	if out := d.run("tom", "/show 1"); strings.Contains(out, "do not tell him yet") {
		t.Errorf("tom's /show of his own tier-1 ticket shows the note:\n%s", out)
	}
	if out := d.run("tom", "/summary 1"); strings.Contains(out, "do not tell him yet") || !strings.Contains(out, "your own report") {
		t.Errorf("tom's /summary of his own ticket: %s", out)
	}
	// Dana, who works it, sees the note.
	wantIn(t, "dana's show", d.run("dana", "/show 1"), "do not tell him yet")
}

// TestMajorLinkedReporters: the reporters linked to a major incident get
// its public updates, never its reporter's summary or replies to its
// reporter, and the agent sees who got what.
func TestMajorLinkedReporters(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	summary := d.ticket(1).Summary
	d.run("sam", "/major 1 VPN")
	wantIn(t, "link", d.run("ben", "the vpn is down for me too"), "known major incident #1 (VPN)")
	d.delivered()

	done := d.run("sam", "/reply 1 Amy, your account was also unlocked; the temporary password is in your personal email")
	wantIn(t, "reply on a major incident", done, "Reply sent to amy on #1", "The 1 reporter linked to this major incident did not get it; /update 1 TEXT")
	if got := d.delivered(); len(got["@ben"]) != 0 {
		t.Errorf("ben got the reply written to amy: %v", got["@ben"])
	}
	wantIn(t, "update", d.run("sam", "/update 1 The VPN gateway is back; reconnect now"), "Update sent to 2 affected people")
	ben := strings.Join(d.delivered()["@ben"], "\n")
	wantIn(t, "ben's update", ben, "Update on the major incident #1 (VPN)", "The VPN gateway is back")
	if strings.Contains(ben, summary) {
		t.Errorf("ben got amy's summary %q: %s", summary, ben)
	}
}

// TestDraftLeak: Max drafts an article from a tier-3 ticket whose handoff
// note names an account; the draft does not carry the note, and Dana, at
// tier 1, may neither read nor replace the draft through /kbedit.
func TestDraftLeak(t *testing.T) {
	d := newKBDesk(t)
	id := d.ticket(t, tickets.StatusResolved, 3)
	if err := d.store.AddEvent(t.Context(), &tickets.Event{TicketID: id, At: testNow, Actor: "test:max", Kind: tickets.EventEscalated,
		Before: "2", After: "3", Text: "Issue: amy's account svc-amy-admin is under investigation\nPriority: P3"}); err != nil {
		t.Fatal(err)
	}
	out := d.run(t, "max", "/kbdraft "+kbNum(id))
	wantIn(t, "max's draft", out, "Drafted article")
	if strings.Contains(out, "under investigation") || strings.Contains(out, "svc-amy-admin") {
		t.Errorf("the draft carries the handoff note:\n%s", out)
	}
	const artID = "ticket-1-vpn-drops-minutes"
	for _, cmd := range []string{"/kbedit " + artID, "/kbedit " + artID + "\n---\nid: " + artID + "\ntitle: x\n---\nbody"} {
		if got := d.run(t, "dana", cmd); !strings.Contains(got, "drafted from #1, which is at tier 3, above yours") {
			t.Errorf("dana's %q: %s", strings.SplitN(cmd, "\n", 2)[0], got)
		}
	}
	wantIn(t, "max may edit", d.run(t, "max", "/kbedit "+artID), "Article "+artID+" as it is now")
	wantIn(t, "a manager may edit", d.run(t, "mia", "/kbedit "+artID), "Article "+artID+" as it is now")
}
