package storetest

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testOutboxLanes checks per-conversation order: a message waits while an
// earlier one of its lane (same platform and channel, or same DM user) is
// undelivered, even when it is due itself.
func testOutboxLanes(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	triage := func(key string) *tickets.OutboxMessage { return message(key, 0, base) }
	dm := func(key, user string) *tickets.OutboxMessage {
		return &tickets.OutboxMessage{Key: key, To: tickets.Place{Platform: "slack"}, UserID: user, Text: key, Created: base}
	}
	t1, t2, d1, d2, other := triage("t1"), triage("t2"), dm("d1", "U1"), dm("d2", "U1"), dm("o1", "U2")
	for _, m := range []*tickets.OutboxMessage{t1, t2, d1, d2, other} {
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue "+m.Key)
	}
	diff(t, "due at first", []string{"t1", "d1", "o1"}, due(t, s, at(time.Minute)))

	// t1 fails and waits an hour: t2 behind it waits too.
	ok(t, s.MarkFailed(ctx, t1.ID, "slack: 500", at(time.Hour)), "MarkFailed")
	diff(t, "due while t1 backs off", []string{"d1", "o1"}, due(t, s, at(time.Minute)))
	ok(t, s.MarkSent(ctx, d1.ID, at(time.Minute), "D1:1.1"), "MarkSent d1")
	diff(t, "due after d1 sent", []string{"d2", "o1"}, due(t, s, at(time.Minute)))
	diff(t, "due when t1 retries", []string{"t1", "d2", "o1"}, due(t, s, at(time.Hour)))
	ok(t, s.MarkSent(ctx, t1.ID, at(time.Hour), "C0TRIAGE:1.1"), "MarkSent t1")
	diff(t, "due after t1 sent", []string{"t2", "d2", "o1"}, due(t, s, at(time.Hour)))
	if t1.Lane() == d1.Lane() || d1.Lane() != d2.Lane() || d1.Lane() == other.Lane() {
		t.Errorf("lanes: triage %q, U1 %q and %q, U2 %q", t1.Lane(), d1.Lane(), d2.Lane(), other.Lane())
	}
}

// testOutboxRefs checks that Edit and Thread keys are stored, MarkSent keeps
// the platform reference, and OutboxMessage finds a message by key.
func testOutboxRefs(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	card := message("ticket:1:created:triage", 0, base)
	edit := message("ticket:1:card:2", 0, at(time.Second))
	edit.Edit = card.Key
	post := message("ticket:1:claim:2:thread", 0, at(time.Second))
	post.Thread = card.Key
	for _, m := range []*tickets.OutboxMessage{card, edit, post} {
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue "+m.Key)
	}
	_, err := s.OutboxMessage(ctx, "no such key")
	wantCode(t, err, tickets.ENOTFOUND, "OutboxMessage of a missing key")

	got, err := s.OutboxMessage(ctx, edit.Key)
	ok(t, err, "OutboxMessage")
	diff(t, "edit", &tickets.OutboxMessage{ID: edit.ID, Key: edit.Key, To: edit.To, Text: edit.Text,
		Edit: card.Key, Created: stored(edit.Created), NextAttempt: stored(edit.Created)}, got)

	ok(t, s.MarkSent(ctx, card.ID, at(time.Minute), "C0TRIAGE:1712345678.000100"), "MarkSent")
	// A second MarkSent (a crash between send and mark, then a resend) keeps
	// the first time and reference.
	ok(t, s.MarkSent(ctx, card.ID, at(time.Hour), "C0TRIAGE:other"), "MarkSent again")
	got, err = s.OutboxMessage(ctx, card.Key)
	ok(t, err, "OutboxMessage")
	if got.Ref != "C0TRIAGE:1712345678.000100" || !got.SentAt.Equal(stored(at(time.Minute))) {
		t.Errorf("sent card: ref %q at %v, want the first reference and time", got.Ref, got.SentAt)
	}
	p, err := s.OutboxMessage(ctx, post.Key)
	ok(t, err, "OutboxMessage")
	if p.Thread != card.Key || p.Edit != "" {
		t.Errorf("thread post: Thread %q Edit %q, want Thread %q", p.Thread, p.Edit, card.Key)
	}
}

// testOutboxDead checks that a given-up message leaves the due list,
// unblocks its lane and is listed for admins.
func testOutboxDead(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	a, b := message("a", 0, base), message("b", 0, base)
	for _, m := range []*tickets.OutboxMessage{a, b} {
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue")
	}
	dead, err := s.DeadOutbox(ctx, 10)
	ok(t, err, "DeadOutbox")
	if len(dead) != 0 {
		t.Fatalf("DeadOutbox before giving up = %d messages", len(dead))
	}
	ok(t, s.MarkDead(ctx, a.ID, "slack: channel_not_found", at(time.Minute)), "MarkDead")
	diff(t, "due after a is dead", []string{"b"}, due(t, s, at(time.Hour)))
	dead, err = s.DeadOutbox(ctx, 10)
	ok(t, err, "DeadOutbox")
	if len(dead) != 1 || dead[0].Key != "a" || dead[0].LastError != "slack: channel_not_found" ||
		!dead[0].DeadAt.Equal(stored(at(time.Minute))) || dead[0].Attempts != 1 {
		t.Errorf("DeadOutbox = %+v, want a with its error, time and attempt", dead)
	}
	wantCode(t, s.MarkDead(ctx, 424242, "x", base), tickets.ENOTFOUND, "MarkDead of a missing message")
}

// testOutboxClaim checks that a due message is claimed once, that a claim
// hides it until it expires, and that sent or dead messages cannot be
// claimed.
func testOutboxClaim(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	m := message("a", 0, base)
	_, err := s.Enqueue(ctx, m)
	ok(t, err, "Enqueue")
	if c, err := s.ClaimOutbox(ctx, m.ID, at(-time.Second), at(time.Minute)); err != nil || c {
		t.Errorf("claim before it is due = %v, %v; want false", c, err)
	}
	first, err := s.ClaimOutbox(ctx, m.ID, base, at(time.Minute))
	ok(t, err, "ClaimOutbox")
	second, err := s.ClaimOutbox(ctx, m.ID, base, at(time.Minute))
	ok(t, err, "ClaimOutbox again")
	if !first || second {
		t.Fatalf("claims = %v then %v, want true then false", first, second)
	}
	diff(t, "due while claimed", []string{}, due(t, s, at(30*time.Second)))
	diff(t, "due after the claim expired", []string{"a"}, due(t, s, at(time.Minute)))
	ok(t, s.MarkSent(ctx, m.ID, at(time.Minute), "r"), "MarkSent")
	if c, _ := s.ClaimOutbox(ctx, m.ID, at(time.Hour), at(2*time.Hour)); c {
		t.Error("a sent message was claimed")
	}
}

// testOutboxBacklog checks that the backlog counts waiting messages only,
// and dates them from the oldest still waiting.
func testOutboxBacklog(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	n, oldest, err := s.OutboxBacklog(ctx)
	ok(t, err, "OutboxBacklog")
	if n != 0 || !oldest.IsZero() {
		t.Errorf("OutboxBacklog of an empty outbox = %d, %v; want 0 and the zero time", n, oldest)
	}
	a, b, c := message("a", 0, base), message("b", 0, at(time.Minute)), message("c", 0, at(2*time.Minute))
	for _, m := range []*tickets.OutboxMessage{a, b, c} {
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue")
	}
	ok(t, s.MarkSent(ctx, a.ID, at(3*time.Minute), "ref"), "MarkSent")
	n, oldest, err = s.OutboxBacklog(ctx)
	ok(t, err, "OutboxBacklog")
	if n != 2 || !oldest.Equal(stored(at(time.Minute))) {
		t.Errorf("OutboxBacklog after a was sent = %d, %v; want 2 since b was queued at %v", n, oldest, stored(at(time.Minute)))
	}
	ok(t, s.MarkDead(ctx, b.ID, "gone", at(4*time.Minute)), "MarkDead")
	n, oldest, err = s.OutboxBacklog(ctx)
	ok(t, err, "OutboxBacklog")
	if n != 1 || !oldest.Equal(stored(at(2*time.Minute))) {
		t.Errorf("OutboxBacklog after b was given up = %d, %v; want 1, c's time", n, oldest)
	}
}

// testLaneOutbox checks LaneOutbox: what waits behind a message in its
// lane, oldest first, without other lanes, sent or given-up messages.
func testLaneOutbox(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	var ms []*tickets.OutboxMessage
	for _, key := range []string{"a", "b", "c", "d", "e"} {
		m := message(key, 0, base)
		_, err := s.Enqueue(ctx, m)
		ok(t, err, "Enqueue "+key)
		ms = append(ms, m)
	}
	other := &tickets.OutboxMessage{Key: "dm", To: tickets.Place{Platform: "slack"}, UserID: "U1", Text: "dm", Created: base}
	_, err := s.Enqueue(ctx, other)
	ok(t, err, "Enqueue dm")
	ok(t, s.MarkSent(ctx, ms[2].ID, at(time.Minute), "C0TRIAGE:1.1"), "MarkSent c")
	ok(t, s.MarkDead(ctx, ms[3].ID, "refused", at(time.Minute)), "MarkDead d")
	keys := func(afterID int64, limit int) []string {
		got, err := s.LaneOutbox(ctx, ms[0].Lane(), afterID, limit)
		ok(t, err, "LaneOutbox")
		out := []string{}
		for _, m := range got {
			out = append(out, m.Key)
		}
		return out
	}
	diff(t, "behind a", []string{"b", "e"}, keys(ms[0].ID, 10))
	diff(t, "behind a, limit 1", []string{"b"}, keys(ms[0].ID, 1))
	diff(t, "behind e", []string{}, keys(ms[4].ID, 10))
	got, err := s.LaneOutbox(ctx, other.Lane(), 0, 10)
	ok(t, err, "LaneOutbox dm")
	if len(got) != 1 || got[0].Key != "dm" || got[0].UserID != "U1" {
		t.Errorf("the DM lane holds %v; want dm alone, whole", got)
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
