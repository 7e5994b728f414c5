package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// openRequest files a hardware request for user and returns its number.
func openRequest(t *testing.T, b *Bot, user string) int64 {
	t.Helper()
	out := ""
	for _, text := range []string{"I need a new keyboard", "mine has a broken space bar", "desk 4.12"} {
		out = say(b, user, text)
	}
	if !strings.Contains(out, "#1 is open") {
		t.Fatalf("no ticket opened; last reply:\n%s", out)
	}
	return 1
}

// The triage card is posted with all agent buttons, then every change is
// told in its thread and the card edited in place; notes go to the thread,
// never to the requester.
func TestTriageCardFollowsTicket(t *testing.T) {
	desk := newDesk(t)
	b, store, sender, d := desk.bot, desk.store, desk.sender, desk.disp
	ctx := context.Background()
	id := openRequest(t, b, "amy")
	dana := person("dana")
	act := func(name, text string) {
		t.Helper()
		a := chat.Action{Platform: "test", ChannelID: "triage", User: dana, Name: name, Value: "1"}
		if text != "" {
			a.Fields = map[string]string{"text": text}
		}
		if r := b.HandleAction(ctx, a); len(r) == 0 || strings.Contains(r[0].Text, "not") && !strings.Contains(r[0].Text, "does not see") {
			t.Fatalf("%s: replies %+v", name, r)
		}
	}
	act(chat.ActionClaim, "")
	act(chat.ActionNote, "spare keyboards are in the store room")
	act(chat.ActionReply, "I'll bring one at 3pm")
	act(chat.ActionResolve, "delivered a new keyboard")
	if _, err := d.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}

	type seen struct{ key, edit, thread, text, buttons string }
	var got []seen
	for _, dl := range sender.Sent() {
		var bs []string
		for _, btn := range dl.Msg.Buttons {
			bs = append(bs, btn.Label)
		}
		got = append(got, seen{dl.Msg.Key, dl.EditRef, dl.ThreadRef, dl.Msg.Text, strings.Join(bs, ",")})
	}
	card := "ref:" + cardKey(id)
	want := []struct {
		key, edit, thread, text, buttons string
	}{
		{key: cardKey(id), text: "New P4", buttons: "Claim,Reply,Note,Pending,Escalate,Resolve"},
		{key: "ticket:1:claim:3:requester", text: "Dana is now working on your ticket #1"},
		{key: "ticket:1:claim:3:thread", thread: card, text: "Dana claimed #1."},
		{key: "ticket:1:note:4:thread", thread: card, text: "spare keyboards are in the store room"},
		{key: "ticket:1:reply:5:requester", text: "I'll bring one at 3pm"},
		{key: "ticket:1:reply:5:thread", thread: card, text: "Dana replied to amy"},
		{key: "ticket:1:resolve:6:requester", text: "delivered a new keyboard"},
		{key: "ticket:1:resolve:6:thread", thread: card, text: "Dana resolved #1"},
		{key: "ticket:1:card:6", edit: card, text: "Resolution: delivered a new keyboard", buttons: "Reopen"},
	}
	// The claim's card edit (ticket:1:card:3, "Assigned: Dana") was still
	// waiting when the resolution's came: the newer edit went in its
	// place, as a card shows only its latest state.
	if m, err := store.OutboxMessage(ctx, "ticket:1:card:3"); err != nil || !strings.Contains(m.LastError, "superseded by ticket:1:card:6") {
		t.Errorf("the claim's card edit: %+v, %v; want it superseded by the resolution's", m, err)
	}
	// Lanes are delivered independently: compare per key, and the order
	// within the triage lane.
	byKey := map[string]seen{}
	var triage []string
	for _, s := range got {
		byKey[s.key] = s
		if !strings.HasSuffix(s.key, ":requester") {
			triage = append(triage, s.key)
		}
	}
	var wantTriage []string
	for _, w := range want {
		s, ok := byKey[w.key]
		if !ok {
			t.Errorf("%s was not delivered", w.key)
			continue
		}
		if s.edit != w.edit || s.thread != w.thread || !strings.Contains(s.text, w.text) || s.buttons != w.buttons {
			t.Errorf("%s = edit %q thread %q buttons %q text:\n%s\nwant edit %q thread %q buttons %q text containing %q",
				w.key, s.edit, s.thread, s.buttons, s.text, w.edit, w.thread, w.buttons, w.text)
		}
		if !strings.HasSuffix(w.key, ":requester") {
			wantTriage = append(wantTriage, w.key)
		}
	}
	if len(got) != len(want) {
		t.Errorf("delivered %d messages, want %d", len(got), len(want))
	}
	if strings.Join(triage, " ") != strings.Join(wantTriage, " ") {
		t.Errorf("triage channel order:\n%v\nwant\n%v", triage, wantTriage)
	}
	for _, s := range got {
		if strings.HasSuffix(s.key, ":requester") && strings.Contains(s.text, "store room") {
			t.Errorf("the internal note reached the requester in %s", s.key)
		}
	}
	evs, err := store.Events(ctx, id)
	if err != nil || len(evs) != 6 {
		t.Errorf("ticket has %d events (%v), want 6", len(evs), err)
	}
	tk, err := store.Ticket(ctx, id)
	if err != nil || tk.Status != tickets.StatusResolved {
		t.Errorf("ticket %+v (%v), want resolved", tk, err)
	}
}

// A member of an agent group may work tickets under their own name; the
// same person without the group may not.
func TestAgentByGroup(t *testing.T) {
	cfg := Config{Agents: []Agent{{Name: "Desk team", Groups: []string{"test:S0DESK"}, Tier: 1, Role: RoleAgent}}}
	member := tickets.Person{Platform: "test", UserID: "U9", Name: "Sam", Groups: []string{"S0OTHER", "S0DESK"}}
	a, ok := cfg.agent(member)
	if !ok || a.Name != "Sam" || a.Tier != 1 {
		t.Errorf("agent(member) = %+v, %v; want Sam at tier 1", a, ok)
	}
	for _, p := range []tickets.Person{
		{Platform: "test", UserID: "U9", Name: "Sam"},
		{Platform: "other", UserID: "U9", Groups: []string{"S0DESK"}}, // the group is the test platform's
	} {
		if a, ok := cfg.agent(p); ok {
			t.Errorf("agent(%+v) = %+v, want not an agent", p, a)
		}
	}
}

// On a platform with slash commands, command mentions in replies and
// outbox messages read the way they are typed there, under the slash
// command they belong to; paths are untouched.
func TestCommandMentions(t *testing.T) {
	b, _ := newTestBot(t)
	cfg := *b.conf()
	cfg.Slash = map[string]bool{"slack": true}
	b.cfg.Store(&cfg)
	for _, tc := range []struct{ platform, in, want string }{
		{"slack", "Type /status 12 at any time.", "Type /helpdesk status 12 at any time."},
		{"slack", "/help lists commands (or /mine).", "/helpdesk help lists commands (or /helpdesk mine)."},
		{"slack", "Read it: /article vpn-cannot-connect", "Read it: /helpdesk article vpn-cannot-connect"},
		{"slack", "Claim it with /claim 12, or /merge 12 into 13.", "Claim it with /desk claim 12, or /desk merge 12 into 13."},
		{"slack", "Edit with /kbedit x, read with /kb x.", "Edit with /desk kbedit x, read with /helpdesk kb x."},
		{"slack", "see https://x.example/help and C:/status", "see https://x.example/help and C:/status"},
		{"slack", "/helpful /statusbar", "/helpful /statusbar"},
		{"console", "Type /status 12.", "Type /status 12."},
	} {
		if got := b.localize(tc.platform, tc.in); got != tc.want {
			t.Errorf("localize(%s, %q) = %q, want %q", tc.platform, tc.in, got, tc.want)
		}
	}
}

// Answers that mean "nothing to report" skip an optional question instead
// of becoming its value ("nothing yet" is not an error message).
func TestSkipAnswers(t *testing.T) {
	for _, s := range []string{"skip", "Nothing yet.", "no errors", "I didn't see one", "none shown", "n/a", "Don't know"} {
		if !extract.IsSkip(s) {
			t.Errorf("extract.IsSkip(%q) = false", s)
		}
	}
	for _, s := range []string{"0x80070005", "it says access denied", "nothing works", "yesterday"} {
		if extract.IsSkip(s) {
			t.Errorf("extract.IsSkip(%q) = true", s)
		}
	}
}

// KB buttons answer an offer once, and only for the person it was made
// to; a second press or a bystander's changes nothing.
func TestKBButtonsAnswerOnce(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	say(b, "ben", "my outlook keeps asking for my password")
	press := func(user, name string) string {
		var out []string
		for _, r := range b.HandleAction(ctx, chat.Action{Platform: "test", ChannelID: "dm-ben", User: person(user), Name: name, Value: "1"}) {
			out = append(out, r.Text)
		}
		return strings.Join(out, "\n")
	}
	if out := press("cy", chat.ActionKBFixed); !strings.Contains(out, "someone else's report") {
		t.Errorf("a bystander's press: %s", out)
	}
	first := press("ben", chat.ActionKBNotFixed)
	if strings.Contains(first, "already answered that suggestion") {
		t.Fatalf("the first press was refused: %s", first)
	}
	again := press("ben", chat.ActionKBNotFixed)
	if !strings.Contains(again, "already answered that suggestion") {
		t.Errorf("a second press answered intake's next question: %s", again)
	}
}
