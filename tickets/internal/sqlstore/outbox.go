package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// outboxColumns are the stored columns of a message, in scanOutbox's order.
const outboxColumns = `id, key, to_platform, to_channel_id, to_thread_id, user_id,
	ticket_id, text, buttons, created_at, attempts, next_attempt, sent_at, last_error,
	edit_key, thread_key, ref, dead_at, mentions`

// Enqueue adds an outbox message. A message whose Key is already in the
// outbox is not added again, and m is left as it was.
//
// A zero Created is the current time; a zero NextAttempt is Created, so the
// message is due at once, and a later one delays the first delivery. On
// success m gets its ID and the delivery state the store keeps. An edit
// supersedes the earlier edits of the same message that still wait their
// first attempt: they are recorded as sent, the newer state going out in
// their place.
func (t *Tx) Enqueue(ctx context.Context, m *tickets.OutboxMessage) (bool, error) {
	switch {
	case m.Key == "":
		return false, tickets.Errorf(tickets.EINVALID, "outbox message has no idempotency key")
	case m.To.ChannelID == "" && m.UserID == "":
		return false, tickets.Errorf(tickets.EINVALID, "outbox message %q has no recipient", m.Key)
	}
	var buttons any
	if len(m.Buttons) > 0 {
		b, err := json.Marshal(m.Buttons)
		if err != nil {
			return false, t.d.wrap("enqueue", err)
		}
		buttons = string(b)
	}
	created := m.Created
	if created.IsZero() {
		created = time.Now()
	}
	next := m.NextAttempt
	if next.IsZero() {
		next = created
	}
	created, next = Stored(created), Stored(next)
	id, err := t.q.Insert(ctx, t.d.InsertOutbox, m.Key, m.To.Platform, m.To.ChannelID,
		m.To.ThreadID, m.UserID, dbID(m.TicketID), m.Text, buttons, t.d.Time(created), t.d.Time(next),
		m.Edit, m.Thread, m.Lane(), strings.Join(m.Mentions, " "))
	if errors.Is(err, sql.ErrNoRows) {
		// The key was taken, or the ticket is missing (where InsertOutbox
		// checks it rather than fail the transaction): a taken key wins,
		// since the row was never inserted.
		if m.TicketID == 0 {
			return false, nil
		}
		var taken bool
		if err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE key = $1)`, m.Key).Scan(&taken); err != nil {
			return false, t.d.wrap("enqueue", err)
		}
		if taken {
			return false, nil
		}
		return false, tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", m.TicketID)
	} else if t.d.IsForeignKey(err) {
		return false, tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", m.TicketID)
	} else if err != nil {
		return false, t.d.wrap("enqueue", err)
	}
	m.ID, m.Created, m.NextAttempt = id, created, next
	m.Attempts, m.SentAt, m.LastError, m.Ref, m.DeadAt = 0, time.Time{}, "", "", time.Time{}
	if m.Edit != "" {
		// An edit carries the message's whole new state, so earlier
		// edits of the same message still waiting need not go out: a
		// burst (a storm's "412 people affected") is one call to the
		// platform. One being sent (claimed: due later) or retried
		// stays, and goes first, as its lane keeps order.
		_, err := t.q.Exec(ctx, `UPDATE outbox SET sent_at = $1, last_error = $2
			WHERE lane = $3 AND edit_key = $4 AND id < $5 AND sent_at IS NULL AND dead_at IS NULL
				AND attempts = 0 AND next_attempt <= $1`,
			t.d.Time(created), "superseded by "+m.Key, m.Lane(), m.Edit, id)
		if err != nil {
			return false, t.d.wrap("enqueue", err)
		}
	}
	return true, nil
}

// DueOutbox returns undelivered, live messages due by now that are first
// in their lane, oldest first. A limit of 0 or less means 100.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]*tickets.OutboxMessage, error) {
	// The head of each lane comes from one pass over the outbox_lane
	// index; a correlated NOT EXISTS made SQLite scan the table once per
	// row, 76 ms instead of 0.2 ms with 3,000 messages waiting. A message
	// claimed by a dispatcher is still the head of its lane, and its
	// next_attempt (the claim's end) keeps it out of the due list.
	return queryAll(ctx, s.read, s.d, "due outbox", scanOutbox, `SELECT `+outboxColumns+` FROM outbox
		WHERE id IN (SELECT MIN(id) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL GROUP BY lane)
		AND next_attempt <= $1
		ORDER BY id LIMIT $2`, s.d.Time(now), limitOr(limit))
}

// LaneOutbox returns the undelivered, live messages of lane queued after
// message afterID, oldest first, at most limit (100 when 0 or less): what
// waits behind a lane's head, read through the outbox_lane index.
func (s *Store) LaneOutbox(ctx context.Context, lane string, afterID int64, limit int) ([]*tickets.OutboxMessage, error) {
	return queryAll(ctx, s.read, s.d, "lane outbox", scanOutbox, `SELECT `+outboxColumns+` FROM outbox
		WHERE lane = $1 AND id > $2 AND sent_at IS NULL AND dead_at IS NULL
		ORDER BY id LIMIT $3`, lane, afterID, limitOr(limit))
}

// DeadOutbox returns given-up messages, newest first. A limit of 0 or less
// means 100.
func (s *Store) DeadOutbox(ctx context.Context, limit int) ([]*tickets.OutboxMessage, error) {
	return queryAll(ctx, s.read, s.d, "dead outbox", scanOutbox, `SELECT `+outboxColumns+` FROM outbox
		WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT $1`, limitOr(limit))
}

// OutboxMessage returns the message with key, or an ENOTFOUND error.
func (s *Store) OutboxMessage(ctx context.Context, key string) (*tickets.OutboxMessage, error) {
	ms, err := queryAll(ctx, s.read, s.d, "outbox message", scanOutbox,
		`SELECT `+outboxColumns+` FROM outbox WHERE key = $1`, key)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "outbox message %q does not exist", key)
	}
	return ms[0], nil
}

// scanOutbox reads one row of outboxColumns.
func scanOutbox(row Row) (*tickets.OutboxMessage, error) {
	var m tickets.OutboxMessage
	var buttons []byte
	var attempts int64
	var mentions string
	if err := row.Scan(&m.ID, &m.Key, &m.To.Platform, &m.To.ChannelID, &m.To.ThreadID, &m.UserID,
		idCol{&m.TicketID}, &m.Text, &buttons, timeCol{&m.Created}, &attempts,
		timeCol{&m.NextAttempt}, timeCol{&m.SentAt}, &m.LastError,
		&m.Edit, &m.Thread, &m.Ref, timeCol{&m.DeadAt}, &mentions); err != nil {
		return nil, err
	}
	m.Mentions = strings.Fields(mentions)
	m.Attempts = int(attempts)
	if buttons != nil {
		if err := json.Unmarshal(buttons, &m.Buttons); err != nil {
			return nil, fmt.Errorf("message %d buttons: %w", m.ID, err)
		}
	}
	return &m, nil
}

// MarkSent records a delivered message; a zero at is the current time.
// Marking a sent message again keeps the first time and reference.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time, ref string) error {
	if at.IsZero() {
		at = time.Now()
	}
	// One statement, its own transaction: the row lock (the write lock on
	// SQLite) makes a second MarkSent see the first.
	n, err := s.write.Exec(ctx, `UPDATE outbox SET sent_at = COALESCE(sent_at, $1),
		ref = CASE WHEN sent_at IS NULL THEN $2 ELSE ref END WHERE id = $3`,
		s.d.Time(at), ref, id)
	return s.outboxUpdated(n, err, "mark sent", id)
}

// MarkFailed records a failed attempt and when to try again; a zero next
// means at once.
func (s *Store) MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error {
	if next.IsZero() {
		next = time.Now()
	}
	n, err := s.write.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1,
		next_attempt = $2 WHERE id = $3`, errText, s.d.Time(next), id)
	return s.outboxUpdated(n, err, "mark failed", id)
}

// ClaimOutbox takes message id for delivery until until, if it is still
// waiting and due at now. Of two dispatchers, only one claims it: SQLite's
// single writer makes the check and the update one step, and on PostgreSQL
// the second waits for the first's row lock and then finds the row no
// longer due (it re-checks the WHERE on the new row version).
func (s *Store) ClaimOutbox(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	n, err := s.write.Exec(ctx, `UPDATE outbox SET next_attempt = $1
		WHERE id = $2 AND sent_at IS NULL AND dead_at IS NULL AND next_attempt <= $3`,
		s.d.Time(until), id, s.d.Time(now))
	if err != nil {
		return false, s.d.wrap("claim outbox", err)
	}
	return n == 1, nil
}

// MarkDead records that delivery of message id was given up; a zero at is
// the current time.
func (s *Store) MarkDead(ctx context.Context, id int64, errText string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	n, err := s.write.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1,
		dead_at = COALESCE(dead_at, $2) WHERE id = $3`, errText, s.d.Time(at), id)
	return s.outboxUpdated(n, err, "mark dead", id)
}

// outboxUpdated turns the result of an UPDATE of message id, n rows
// changed, into the error to return, ENOTFOUND when no row matched.
func (s *Store) outboxUpdated(n int64, err error, op string, id int64) error {
	if err != nil {
		return s.d.wrap(op, err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "outbox message %d does not exist", id)
	}
	return nil
}

// OutboxBacklog counts the messages waiting for delivery (neither sent
// nor given up) and finds when the oldest was queued; zero when none.
func (s *Store) OutboxBacklog(ctx context.Context) (int, time.Time, error) {
	var n int64
	var oldest time.Time
	if err := s.read.QueryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL`).
		Scan(&n, timeCol{&oldest}); err != nil {
		return 0, time.Time{}, s.d.wrap("outbox backlog", err)
	}
	return int(n), oldest, nil
}
