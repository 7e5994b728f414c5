package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testPruneOutbox deletes what was delivered long ago about closed
// tickets, or about none, and keeps everything an open ticket or a
// delivery still needs.
func testPruneOutbox(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	cutoff := at(30 * 24 * time.Hour)
	ticket := func(req string, st tickets.Status, updated time.Duration) int64 {
		tk := fullTicket(req, base)
		tk.Status, tk.UpdatedAt = st, at(updated)
		return create(t, s, tk).ID
	}
	closedOld := ticket("U1", tickets.StatusClosed, time.Hour)
	closedLate := ticket("U2", tickets.StatusClosed, 40*24*time.Hour) // closed after the cutoff
	open := ticket("U3", tickets.StatusOpen, time.Hour)

	send := func(key string, id int64, sent time.Duration, dead bool) {
		m := message(key, id, at(0))
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue")
		switch {
		case dead:
			ok(t, s.MarkDead(ctx, m.ID, "refused", at(sent)), "MarkDead")
		case sent > 0:
			ok(t, s.MarkSent(ctx, m.ID, at(sent), "ref"), "MarkSent")
		}
	}
	// More than one batch of old messages of the closed ticket.
	for i := range 1205 {
		send(fmt.Sprint("old-", i), closedOld, time.Hour, false)
	}
	send("dead", closedOld, time.Hour, true)
	send("digest", 0, time.Hour, false)
	send("waiting", closedOld, 0, false)              // never sent: still due
	send("recent", closedOld, 31*24*time.Hour, false) // sent after the cutoff
	send("late-close", closedLate, time.Hour, false)  // its ticket closed after the cutoff
	send("open-card", open, time.Hour, false)         // its ticket is still open

	n, err := s.PruneOutbox(ctx, cutoff)
	ok(t, err, "PruneOutbox")
	if want := 1205 + 2; n != want {
		t.Errorf("PruneOutbox deleted %d messages, want %d", n, want)
	}
	for _, key := range []string{"old-0", "old-1204", "dead", "digest"} {
		_, err := s.OutboxMessage(ctx, key)
		wantCode(t, err, tickets.ENOTFOUND, "pruned message "+key)
	}
	for _, key := range []string{"waiting", "recent", "late-close", "open-card"} {
		_, err := s.OutboxMessage(ctx, key)
		ok(t, err, "kept message "+key)
	}
	n, err = s.PruneOutbox(ctx, cutoff)
	ok(t, err, "PruneOutbox again")
	if n != 0 {
		t.Errorf("a second PruneOutbox deleted %d messages, want 0", n)
	}
}

// testOutboxEditsSupersede keeps one waiting edit per message: a burst of
// edits to one card is one call to the platform, and an edit already
// being sent still goes first.
func testOutboxEditsSupersede(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	tk := create(t, s, fullTicket("U1", base))
	card := message("card", tk.ID, at(0))
	_, err := s.Enqueue(ctx, card)
	ok(t, err, "Enqueue")
	edit := func(key string, d time.Duration) *tickets.OutboxMessage {
		m := message(key, tk.ID, at(d))
		m.Edit = "card"
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue "+key)
		return m
	}
	other := message("other-card", tk.ID, at(0))
	_, err = s.Enqueue(ctx, other)
	ok(t, err, "Enqueue")
	otherEdit := message("other-edit", tk.ID, at(time.Second))
	otherEdit.Edit = "other-card"
	_, err = s.Enqueue(ctx, otherEdit)
	ok(t, err, "Enqueue")

	e1 := edit("e1", time.Second)
	// e1 is being sent (claimed) when e2 and e3 come: it stays, e2 goes.
	claimed, err := s.ClaimOutbox(ctx, e1.ID, at(time.Second), at(time.Minute))
	ok(t, err, "ClaimOutbox")
	if !claimed {
		t.Fatal("e1 not claimed")
	}
	edit("e2", 2*time.Second)
	edit("e3", 3*time.Second)
	for key, wantSent := range map[string]bool{"e1": false, "e2": true, "e3": false, "other-edit": false} {
		m, err := s.OutboxMessage(ctx, key)
		ok(t, err, "OutboxMessage "+key)
		if sent := !m.SentAt.IsZero(); sent != wantSent {
			t.Errorf("%s recorded as sent: %v, want %v (last error %q)", key, sent, wantSent, m.LastError)
		}
	}
	for _, m := range []*tickets.OutboxMessage{card, other, otherEdit, e1} {
		ok(t, s.MarkSent(ctx, m.ID, at(2*time.Minute), "ref"), "MarkSent")
	}
	diff(t, "due after the burst", []string{"e3"}, due(t, s, at(time.Hour)))
}
