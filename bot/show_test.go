package bot

import (
	"strings"
	"testing"
)

// The agent sees the whole ticket: the person's own words in full (the
// Problem field is shortened), the fields intake read, its flags, and a
// history that keeps every resolution, reply and note with its text, also
// after a reopen cleared the resolution.
func TestShowTheWholeTicket(t *testing.T) {
	d := newDesk(t)
	words := `The printer on floor 3 is showing "Paper jam in tray 2" but there is no paper stuck, I opened every tray and checked the rollers twice. Nobody on our floor can print.`
	out := d.finish("amy", d.run("amy", words))
	if !strings.Contains(out, "Ticket #1 is open") {
		t.Fatalf("no ticket:\n%s", out)
	}
	d.run("dana", "/claim 1")
	d.run("dana", "/reply 1 Can you send a photo of the display?")
	d.run("dana", "/note 1 Firmware 2.1 has a sensor bug")
	d.run("dana", "/resolve 1 Updated the printer firmware to 2.3")
	d.run("amy", "/reopen 1 it jams again")
	show := d.run("dana", "/show 1")
	wantIn(t, "/show", show,
		"In their words:\n    > "+words+"\n  Problem:",
		"Error: Paper jam in tray 2",
		"Dana: replied: Can you send a photo of the display?",
		"Dana: internal note: Firmware 2.1 has a sensor bug",
		"Dana: status open → resolved: Updated the printer firmware to 2.3",
		"amy: status resolved → open",
		"reopened: it jams again",
	)
	// The requester sees their own words and the resolution, not the note.
	status := d.run("amy", "/status 1")
	wantIn(t, "/status", status, "In their words:", "Updated the printer firmware to 2.3")
	if strings.Contains(status, "Firmware 2.1") {
		t.Errorf("the requester sees the internal note:\n%s", status)
	}
}

// A reporter linked to a major incident is told to /reopen their report
// when the incident is resolved: it works, and their report becomes a
// ticket of its own with a card in triage. While the incident is still
// open they are told it is being worked on, not sent to a ticket that is
// not theirs.
func TestReopenReportOfResolvedMajorIncident(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("sam", "/major 1 VPN")
	wantIn(t, "linked", d.run("ben", "the vpn is down for me too"), "recorded as #2")
	wantIn(t, "reopen while open", d.run("ben", "/reopen 2"), "#2 is still")
	d.delivered()
	d.run("sam", "/resolve 1 gateway restarted")
	got := d.delivered()
	wantIn(t, "ben's news", strings.Join(got["@ben"], "\n"), "is resolved", "type /reopen 2")
	out := d.run("ben", "/reopen 2 still cannot connect")
	wantIn(t, "reopen", out, "#2 is open again as a ticket of its own")
	if tk := d.ticket(2); tk.LinkedTo != 0 || tk.Status != "open" {
		t.Errorf("#2 is %s linked to %d, want open on its own", tk.Status, tk.LinkedTo)
	}
	got = d.delivered()
	wantIn(t, "triage", strings.Join(got["#triage"], "\n"), "#2 from ben", "still cannot connect", "#2 is not fixed for its reporter")
	if q := d.run("dana", "/queue"); !strings.Contains(q, "#2") {
		t.Errorf("the reopened report is not in the queue:\n%s", q)
	}
}

// Merging two tickets of one person tells that person, like merging
// someone else's: the "/merge 9 into 3" told #9's requester
// nothing.
func TestMergeTellsTheSameRequester(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	out := d.finish("amy", d.run("amy", "the printer on floor 2 is jammed"))
	wantIn(t, "second ticket", out, "Ticket #2 is open")
	d.delivered()
	wantIn(t, "merge", d.run("dana", "/merge 2 into 1"), "#2 is merged into #1 and closed", "Both are amy's; they were told")
	got := d.delivered()
	wantIn(t, "amy", strings.Join(got["@amy"], "\n"), "Your tickets #2 and #1", "#2 is now part of #1", "/status 1")
}

// Replying "new" after a message was added to an open ticket moves that
// message to the new ticket: it described another problem, and left in
// the first ticket's history it misleads whoever works it.
func TestNewAfterAutoAttachMovesTheMessage(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	msg := "the VPN client also shows a certificate warning on my phone"
	wantIn(t, "attached", d.run("amy", msg), "added your message to it", `reply "new"`)
	out := d.finish("amy", d.run("amy", "new"))
	wantIn(t, "new ticket", out, "Ticket #2 is open")
	first, second := d.run("dana", "/show 1"), d.run("dana", "/show 2")
	if strings.Contains(first, "wrote: "+msg) {
		t.Errorf("the message stayed on #1:\n%s", first)
	}
	wantIn(t, "#1", first, "amy: said the message added here is another problem: moved to #2")
	if st := d.run("amy", "/status 1"); strings.Contains(st, msg) {
		t.Errorf("the requester still sees the message on #1:\n%s", st)
	}
	wantIn(t, "#2", second, "amy: wrote: "+msg)
	got := d.delivered()
	wantIn(t, "triage", strings.Join(got["#triage"], "\n"), "moved to the new ticket #2")
}

// On Slack and Discord a long report is folded in /show with the way to
// unfold it; "full" shows it whole. The console shows it whole at once.
func TestShowFoldsLongTextsOnPlatforms(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) { c.Slash = map[string]bool{"test": true} })
	long := "The printer on floor 3 shows a paper jam in tray 2 but there is no paper stuck." + strings.Repeat(" I opened every tray and the rear door, took the toner out and put it back, switched it off and on.", 8) + " THE END"
	wantIn(t, "ticket", d.finish("amy", d.run("amy", long)), "is open")
	folded := d.run("dana", "/show 1")
	wantIn(t, "folded", folded, "more characters]", "Long texts are folded; /desk show 1 full shows them whole.")
	if strings.Contains(folded, "THE END") {
		t.Errorf("not folded:\n%s", folded)
	}
	wantIn(t, "full", d.run("dana", "/show 1 full"), "THE END")
	if full := d.run("dana", "/show 1 full"); strings.Contains(full, "folded") {
		t.Errorf("full still folded:\n%s", full)
	}
	console := newDesk(t)
	console.finish("amy", console.run("amy", long))
	wantIn(t, "console", console.run("dana", "/show 1"), "THE END")
}

// /mine says when a resolved ticket was resolved, not a deadline it no
// longer has.
func TestMineShowsWhenResolved(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	wantIn(t, "open", d.run("amy", "/mine"), "resolve by")
	d.run("dana", "/claim 1")
	d.run("dana", "/resolve 1 replaced the VPN profile")
	out := d.run("amy", "/mine")
	wantIn(t, "resolved", out, "resolved (Dana)", "— resolved ")
	if strings.Contains(out, "resolve by") {
		t.Errorf("a resolved ticket still shows its deadline:\n%s", out)
	}
}

// "/status" alone lists the person's tickets: they should not have to look
// the number up first.
func TestStatusWithoutNumber(t *testing.T) {
	d := newDesk(t)
	wantIn(t, "no tickets", d.run("amy", "/status"), "You have no open tickets")
	d.openVPN("amy")
	wantIn(t, "one ticket", d.run("amy", "/status"), "Your tickets (1)", "#1")
	wantIn(t, "a number that is not one", d.run("amy", "/status x"), `"x" is not a ticket number`)
}
