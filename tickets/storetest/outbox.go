package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func testConversation(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	const key = "slack:C0HELP:1712345678.000100:U1"
	_, err := s.Conversation(ctx, key)
	wantCode(t, err, tickets.ENOTFOUND, "Conversation before saving")

	c := &tickets.Conversation{Key: key, State: []byte("{\"step\":\"device\"}\x00\xff"), UpdatedAt: base}
	ok(t, s.SaveConversation(ctx, c), "SaveConversation")
	other := &tickets.Conversation{Key: "discord:9001::D1", State: []byte("other"), UpdatedAt: base}
	ok(t, s.SaveConversation(ctx, other), "SaveConversation")
	got, err := s.Conversation(ctx, key)
	ok(t, err, "Conversation")
	diff(t, "conversation", &tickets.Conversation{Key: key, State: c.State, UpdatedAt: stored(base)}, got)

	// Saving again replaces the state.
	c2 := &tickets.Conversation{Key: key, State: []byte(`{"step":"steps"}`), UpdatedAt: at(time.Minute)}
	ok(t, s.SaveConversation(ctx, c2), "SaveConversation again")
	got, err = s.Conversation(ctx, key)
	ok(t, err, "Conversation")
	diff(t, "replaced conversation", &tickets.Conversation{Key: key, State: c2.State, UpdatedAt: stored(at(time.Minute))}, got)

	ok(t, s.DeleteConversation(ctx, key), "DeleteConversation")
	_, err = s.Conversation(ctx, key)
	wantCode(t, err, tickets.ENOTFOUND, "Conversation after deleting")
	ok(t, s.DeleteConversation(ctx, key), "DeleteConversation of a missing conversation")

	got, err = s.Conversation(ctx, other.Key)
	ok(t, err, "Conversation")
	diff(t, "other conversation", &tickets.Conversation{Key: other.Key, State: other.State, UpdatedAt: stored(base)}, got)
}

func testOutboxRoundTrip(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	tk := create(t, s, fullTicket("U1", base))
	m := &tickets.OutboxMessage{
		Key:      "ticket:1:created:triage",
		To:       tickets.Place{Platform: "slack", ChannelID: "C0TRIAGE", ThreadID: "1712345678.000200"},
		UserID:   "U1",
		TicketID: tk.ID,
		Text:     "New ticket #1: *VPN drops* ✓",
		Buttons: []tickets.Button{
			{Label: "Claim", Action: "claim", Value: "1"},
			{Label: "Details", Action: "details"},
		},
		Mentions: []string{"U0DANA", "U0TOM"},
		Created:  base,
	}
	added, err := s.Enqueue(ctx, m)
	ok(t, err, "Enqueue")
	if !added || m.ID == 0 {
		t.Fatalf("Enqueue = %v with ID %d, want added with an ID", added, m.ID)
	}
	dm := &tickets.OutboxMessage{Key: "dm:U1:hello", To: tickets.Place{Platform: "discord"}, UserID: "D1",
		Text: "Still fixed?", Created: at(time.Second)}
	_, err = s.Enqueue(ctx, dm)
	ok(t, err, "Enqueue")

	got, err := s.DueOutbox(ctx, at(time.Minute), 10)
	ok(t, err, "DueOutbox")
	want := []*tickets.OutboxMessage{
		{ID: m.ID, Key: m.Key, To: m.To, UserID: m.UserID, TicketID: m.TicketID, Text: m.Text,
			Buttons: m.Buttons, Mentions: m.Mentions, Created: stored(base), NextAttempt: stored(base)},
		{ID: dm.ID, Key: dm.Key, To: dm.To, UserID: dm.UserID, Text: dm.Text,
			Created: stored(at(time.Second)), NextAttempt: stored(at(time.Second))},
	}
	diff(t, "due messages", want, got)

	// Without Created the message is stamped with the current time.
	before := time.Now()
	now := &tickets.OutboxMessage{Key: "now", To: tickets.Place{Platform: "slack", ChannelID: "C1"}, Text: "x"}
	_, err = s.Enqueue(ctx, now)
	ok(t, err, "Enqueue")
	if keys := due(t, s, before.Add(-time.Second)); len(keys) != 2 {
		t.Errorf("message without Created is due before it was enqueued: %v", keys)
	}
	if keys := due(t, s, time.Now().Add(time.Second)); len(keys) != 3 {
		t.Errorf("message without Created is not due after it was enqueued: %v", keys)
	}
}

func testOutboxIdempotent(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	first := message("ticket:1:created:triage", 0, base)
	added, err := s.Enqueue(ctx, first)
	ok(t, err, "Enqueue")
	if !added {
		t.Fatal("first Enqueue was not added")
	}
	again := message("ticket:1:created:triage", 0, at(time.Minute))
	again.Text = "a second copy"
	added, err = s.Enqueue(ctx, again)
	ok(t, err, "Enqueue again")
	if added {
		t.Error("Enqueue of a key already in the outbox was added")
	}
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		added, err := tx.Enqueue(ctx, again)
		if added {
			t.Error("tx.Enqueue of a key already in the outbox was added")
		}
		return err
	})
	ok(t, err, "InTx")

	got, err := s.DueOutbox(ctx, at(time.Hour), 10)
	ok(t, err, "DueOutbox")
	if len(got) != 1 || got[0].Text != first.Text {
		t.Fatalf("outbox holds %d messages (%+v), want only the first", len(got), got)
	}

	// A sent message still holds its key: a job running again sends nothing.
	ok(t, s.MarkSent(ctx, got[0].ID, at(time.Minute), "C0TRIAGE:1.1"), "MarkSent")
	added, err = s.Enqueue(ctx, again)
	ok(t, err, "Enqueue after sending")
	if added {
		t.Error("Enqueue of the key of a sent message was added")
	}
}

func testOutboxDue(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	// Each message in a lane of its own, so only time and queue order count:
	// due messages come in the order they were queued, whatever Created says.
	for i, m := range []*tickets.OutboxMessage{
		message("c", 0, at(2*time.Second)),
		message("a", 0, at(0)),
		message("b", 0, at(time.Second)),
		{Key: "later", To: tickets.Place{Platform: "slack", ChannelID: "C1"}, Created: at(0),
			NextAttempt: at(time.Hour)},
		message("d", 0, at(2*time.Second)),
	} {
		m.To.ChannelID = fmt.Sprint("C", i)
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue "+m.Key)
	}
	for _, tc := range []struct {
		now  time.Time
		want []string
	}{
		{at(-time.Second), []string{}},
		{at(0), []string{"a"}}, // due exactly at its next attempt
		{at(time.Second), []string{"a", "b"}},
		{at(time.Minute), []string{"c", "a", "b", "d"}},
		{at(time.Hour), []string{"c", "a", "b", "later", "d"}},
	} {
		diff(t, "due at "+tc.now.String(), tc.want, due(t, s, tc.now))
	}
	got, err := s.DueOutbox(ctx, at(time.Hour), 2)
	ok(t, err, "DueOutbox")
	if len(got) != 2 || got[0].Key != "c" || got[1].Key != "a" {
		t.Errorf("DueOutbox with limit 2 = %d messages, want c and a", len(got))
	}
}

func testOutboxMarkSent(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	a, b := message("a", 0, at(0)), message("b", 0, at(time.Second))
	for _, m := range []*tickets.OutboxMessage{a, b} {
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue")
	}
	ok(t, s.MarkSent(ctx, a.ID, at(time.Minute), "C0TRIAGE:1.1"), "MarkSent")
	diff(t, "due after MarkSent", []string{"b"}, due(t, s, at(time.Hour)))
	ok(t, s.MarkSent(ctx, b.ID, at(time.Minute), "C0TRIAGE:1.2"), "MarkSent")
	diff(t, "due after MarkSent", []string{}, due(t, s, at(time.Hour)))
	wantCode(t, s.MarkSent(ctx, 424242, base, ""), tickets.ENOTFOUND, "MarkSent of a missing message")
}

func testOutboxMarkFailed(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	m := message("a", 0, at(0))
	_, err := s.Enqueue(ctx, m)
	ok(t, err, "Enqueue")

	ok(t, s.MarkFailed(ctx, m.ID, "slack: ratelimited", at(5*time.Minute)), "MarkFailed")
	diff(t, "due before the retry", []string{}, due(t, s, at(5*time.Minute-time.Millisecond)))
	got, err := s.DueOutbox(ctx, at(5*time.Minute), 10)
	ok(t, err, "DueOutbox")
	if len(got) != 1 {
		t.Fatalf("due at the retry: %d messages, want 1", len(got))
	}
	want := &tickets.OutboxMessage{ID: m.ID, Key: m.Key, To: m.To, Text: m.Text, Created: stored(at(0)),
		Attempts: 1, NextAttempt: stored(at(5 * time.Minute)), LastError: "slack: ratelimited"}
	diff(t, "failed message", want, got[0])

	ok(t, s.MarkFailed(ctx, m.ID, "slack: channel_not_found", at(time.Hour)), "MarkFailed again")
	got, err = s.DueOutbox(ctx, at(time.Hour), 10)
	ok(t, err, "DueOutbox")
	if len(got) != 1 || got[0].Attempts != 2 || got[0].LastError != "slack: channel_not_found" {
		t.Fatalf("after two failures: %+v, want 2 attempts and the last error", got)
	}
	wantCode(t, s.MarkFailed(ctx, 424242, "x", base), tickets.ENOTFOUND, "MarkFailed of a missing message")
}

func testOutboxInvalid(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	added, err := s.Enqueue(ctx, message("", 0, base))
	wantCode(t, err, tickets.EINVALID, "Enqueue without a key")
	if added {
		t.Error("message without a key was added")
	}
	_, err = s.Enqueue(ctx, message("ticket:424242:created", 424242, base))
	wantCode(t, err, tickets.ENOTFOUND, "Enqueue about a missing ticket")
	diff(t, "due", []string{}, due(t, s, at(time.Hour)))
}

func testSeenEvent(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	for _, tc := range []struct {
		id   string
		want bool
	}{{"Ev0123", true}, {"Ev0123", false}, {"Ev0456", true}, {"Ev0123", false}} {
		first, err := s.SeenEvent(ctx, tc.id, base)
		ok(t, err, "SeenEvent")
		if first != tc.want {
			t.Errorf("SeenEvent(%s) = %v, want %v", tc.id, first, tc.want)
		}
	}
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		first, err := tx.SeenEvent(ctx, "Ev0456", base)
		if first {
			t.Error("tx.SeenEvent of a seen event = true")
		}
		return err
	})
	ok(t, err, "InTx")

	// What handling an event answered is kept with it, and read back in a
	// later transaction; an event answered with nothing reads as nil.
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		for _, tc := range []struct {
			id      string
			replies []byte
			code    string // "" for success
		}{
			{"Ev0123", []byte(`[{"text":"Ticket #1 is open"}]`), ""},
			{"Ev0456", nil, ""},
			{"Ev-never-seen", []byte(`[]`), tickets.ENOTFOUND},
		} {
			if err := tx.SetEventReplies(ctx, tc.id, tc.replies); tickets.ErrorCode(err) != tc.code {
				t.Errorf("SetEventReplies(%s) = %v, want code %q", tc.id, err, tc.code)
			}
		}
		return nil
	})
	ok(t, err, "InTx")
	for _, tc := range []struct {
		id   string
		want string
	}{{"Ev0123", `[{"text":"Ticket #1 is open"}]`}, {"Ev0456", ""}, {"Ev-never-seen", ""}} {
		var got []byte
		err := s.InTx(ctx, func(tx tickets.Tx) (err error) {
			got, err = tx.EventReplies(ctx, tc.id)
			return err
		})
		ok(t, err, "EventReplies")
		if string(got) != tc.want || (tc.want == "" && got != nil) {
			t.Errorf("EventReplies(%s) = %q, want %q", tc.id, got, tc.want)
		}
	}

	// Forgetting old records makes an old ID new again; recent ones stay.
	_, err = s.SeenEvent(ctx, "Ev0789", at(time.Hour))
	ok(t, err, "SeenEvent")
	n, err := s.ForgetEvents(ctx, at(time.Minute))
	ok(t, err, "ForgetEvents")
	if n != 2 {
		t.Errorf("ForgetEvents removed %d records, want the 2 older ones", n)
	}
	if first, _ := s.SeenEvent(ctx, "Ev0123", at(2*time.Hour)); !first {
		t.Error("a forgotten event ID is still seen")
	}
	if first, _ := s.SeenEvent(ctx, "Ev0789", at(2*time.Hour)); first {
		t.Error("a recent event ID was forgotten")
	}
}

func testSelfService(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	a := &tickets.SelfService{Requester: person("U1"), Category: tickets.CategoryAccount,
		Summary: "locked out", ArticleID: "kb-unlock", Offered: []string{"kb-unlock", "kb-reset"}, At: base}
	ok(t, s.RecordSelfService(ctx, a), "RecordSelfService")
	b := &tickets.SelfService{Requester: person("U2"), Category: tickets.CategoryPrinting,
		Summary: "printer jammed", ArticleID: "kb-jam", At: at(time.Minute)}
	err := s.InTx(ctx, func(tx tickets.Tx) error { return tx.RecordSelfService(ctx, b) })
	ok(t, err, "tx.RecordSelfService")
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Errorf("self-service records got IDs %d and %d, want two distinct IDs", a.ID, b.ID)
	}
	got, err := s.SelfServices(ctx, base)
	ok(t, err, "SelfServices")
	wantA, wantB := *a, *b
	wantA.At, wantB.At = stored(a.At), stored(b.At)
	diff(t, "self services since base", []*tickets.SelfService{&wantA, &wantB}, got)
	got, err = s.SelfServices(ctx, at(time.Second))
	ok(t, err, "SelfServices")
	diff(t, "self services since a second later", []*tickets.SelfService{&wantB}, got)
}
