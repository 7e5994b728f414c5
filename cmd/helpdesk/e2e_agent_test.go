package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// openVPNTicket files ticket #1 as alice.
func openVPNTicket(d *desk) {
	d.t.Helper()
	out := d.session("alice", `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`, "no", "just me", "I can't work at all")
	if !strings.Contains(out, "Ticket #1 is open") {
		d.t.Fatalf("setup: no ticket:\n%s", out)
	}
}

func TestAgentWorksTicket(t *testing.T) {
	d := newDesk(t)
	openVPNTicket(d)
	d.now = d.now.Add(20 * time.Minute)
	out := d.session("alice",
		"/as dana",
		"/queue",
		"/claim 1",
		"/reply 1 Can you try the VPN on your phone hotspot?",
		"/note 1 Suspect the ISP blocks UDP 4501",
		"/show 1",
		"/resolve 1 Switched the VPN client to TCP mode",
		"/as alice",
		"/status 1",
	)
	contains(t, out,
		"You are now dana", "Open tickets, tier 1 (1)", "#1  P3  new",
		"You claimed #1.", "[message for alice] Dana is now working on your ticket #1",
		"Reply sent to alice", "[message for alice] Dana replied on your ticket #1:\n     > Can you try the VPN on your phone hotspot?",
		"Internal note added to #1", "internal note: Suspect the ISP blocks UDP 4501",
		"#1 resolved.", "[message for alice] Your ticket #1 (", "is resolved by Dana",
	)
	// What a command sends shows before the next command's reply, as in a
	// chat: the console delivers the outbox between lines.
	for _, pair := range [][2]string{
		{"Dana is now working on your ticket #1", "Reply sent to alice"},
		{"Dana replied on your ticket #1", "Internal note added to #1"},
		{"is resolved by Dana", "You are now alice"},
	} {
		if i, j := strings.Index(out, pair[0]), strings.Index(out, pair[1]); i < 0 || j < 0 || i > j {
			t.Errorf("%q printed after %q:\n%s", pair[0], pair[1], out)
		}
	}
	// The requester's view has the reply but never the note.
	// The console is one terminal, so the triage channel's messages (the
	// note in the ticket's thread) print there too: leave them out.
	var kept []string
	skipping := false
	for _, line := range strings.Split(out[strings.Index(out, "You are now alice"):], "\n") {
		if strings.HasPrefix(line, "[message for #triage") || strings.HasPrefix(line, "[#triage card") {
			skipping = true
			continue
		}
		if skipping && strings.HasPrefix(line, "     ") {
			continue // the triage message's continuation lines
		}
		skipping = false
		kept = append(kept, line)
	}
	status := strings.Join(kept, "\n")
	contains(t, status, "Status: resolved", "replied: Can you try the VPN")
	lacks(t, status, "UDP 4501", "internal note")
	if strings.Contains(strings.ReplaceAll(out, "internal note: Suspect", ""), "[message for alice] Suspect") {
		t.Error("the internal note was sent to the requester")
	}

	tk := d.ticket(1)
	if tk.Status != tickets.StatusResolved || tk.Assignee != "console:dana" || tk.Resolution != "Switched the VPN client to TCP mode" {
		t.Errorf("ticket = %s %q %q", tk.Status, tk.Assignee, tk.Resolution)
	}
	if want := wednesday.Add(20 * time.Minute); !tk.FirstResponseAt.Equal(want) {
		t.Errorf("first response at %v, want %v", tk.FirstResponseAt, want)
	}
	evs, err := d.store().Events(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, string(e.Kind))
	}
	if got, want := strings.Join(kinds, ","), "created,assigned,status,reply,note,status"; got != want {
		t.Errorf("audit events = %s, want %s", got, want)
	}

	// Reopen, pending, and the requester's answer bringing it back.
	out = d.session("alice", "/reopen 1 still drops every hour", "/as dana", "/pending 1 Which Wi-Fi are you on?", "/as alice", "I'm on my home wifi, the vpn error is the same")
	contains(t, out, "#1 is open again", "[message for alice] Your ticket #1 is waiting on you.", "Which Wi-Fi are you on?", "I've added your answer to ticket #1")
	if tk := d.ticket(1); tk.Status != tickets.StatusOpen {
		t.Errorf("status after the requester answered a pending ticket = %s, want open", tk.Status)
	}
}

func TestRequesterCannotRunAgentCommands(t *testing.T) {
	d := newDesk(t)
	openVPNTicket(d)
	out := d.session("mallory", "/queue", "/claim 1", "/note 1 hi", "/show 1", "/status 1", "/reopen 1")
	contains(t, out, "Only help desk agents can use /queue", "Only help desk agents can use /claim", "Only help desk agents can use /note", "You have no ticket #1")
	lacks(t, out, "You claimed", "VPN server did not respond")
	if tk := d.ticket(1); tk.Assignee != "" {
		t.Errorf("a requester claimed the ticket: %q", tk.Assignee)
	}
}

func TestAgentCommandErrors(t *testing.T) {
	d := newDesk(t)
	openVPNTicket(d)
	out := d.session("dana", "/claim", "/claim abc", "/claim 99", "/claim 1 2", "/show 1 full more", "/reply 1", "/resolve 1", "/frobnicate", "/claim 1", "/claim 1", "/reopen 1")
	contains(t, out,
		"Which ticket? Usage: /claim N",
		`I don't know what to do with "2" after /claim`,
		`I don't know what to do with "more" after /show`,
		`"abc" is not a ticket number`,
		"Ticket #99 does not exist.",
		"/reply needs a text",
		"/resolve needs a text",
		"I don't know the command /frobnicate",
		"You claimed #1.", "You already have #1.",
		"nothing to reopen",
	)
}

func TestBadInput(t *testing.T) {
	d := newDesk(t)
	huge := strings.Repeat("my laptop is broken ", 5200) // ~100 KB
	out := d.session("ivan",
		"",
		"   ",
		huge,
		"\xff\xfe\xfd",
		"\x00\x01\x07\x1b[31m",
		"😀🔥💻",
		"/",
		"/status",
		"/status -3",
		"/article",
		"/article no-such-article",
		"/as",
		"yes",
	)
	contains(t, out,
		"That message is too long for me",
		"I didn't get any text there",
		"I couldn't find a description of a problem",
		"You have no open tickets.",
		`"-3" is not a ticket number`,
		"Which article?",
		`There is no article "no-such-article"`,
		"Usage: /as NAME",
	)
	lacks(t, out, "panic", "goroutine ", "Something went wrong")
	if ts := d.tickets(); len(ts) != 0 {
		t.Errorf("bad input opened %d tickets", len(ts))
	}
}

func TestMalformedConfigExits(t *testing.T) {
	path := writeFile(t, "bad.yaml", "sla:\n  P1: {response: quickly}\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-config", path, "-data", t.TempDir()}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now})
	if code == 0 {
		t.Fatal("exit code 0 for a malformed config")
	}
	contains(t, errOut.String(), "sla.P1.response", `"quickly"`, "15m")
}

func TestUnknownFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-bogus"}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now})
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	contains(t, errOut.String(), "-bogus", "Usage")
}
