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
