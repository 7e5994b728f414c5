package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// insertOutbox adds a message unless its key is taken, and only when the
// ticket it is about exists (or it is about none): a missing ticket returns
// no row rather than failing the transaction.
const insertOutbox = `INSERT INTO outbox (key, to_platform, to_channel_id, to_thread_id, user_id, ticket_id,
	text, buttons, created_at, next_attempt, edit_key, thread_key, lane)
	SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint,
		$7::text, $8::jsonb, $9::timestamptz, $10::timestamptz, $11::text, $12::text, $13::text
	WHERE $6::bigint IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE id = $6)
	ON CONFLICT (key) DO NOTHING
	RETURNING id`

// outboxColumns are the stored columns of a message, in scanOutbox's order.
const outboxColumns = `id, key, to_platform, to_channel_id, to_thread_id, user_id,
	ticket_id, text, buttons, created_at, attempts, next_attempt, sent_at, last_error,
	edit_key, thread_key, ref, dead_at`

// Enqueue adds an outbox message. A message whose Key is already in the
// outbox is not added again, and m is left as it was.
//
// A zero Created is the current time; a zero NextAttempt is Created, so the
// message is due at once, and a later one delays the first delivery. On
// success m gets its ID and the delivery state the store keeps.
func (t *tx) Enqueue(ctx context.Context, m *tickets.OutboxMessage) (bool, error) {
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
			return false, fmt.Errorf("postgres: enqueue: %w", err)
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
	created, next = stored(created), stored(next)
	var id int64
	err := t.q.QueryRow(ctx, insertOutbox, m.Key, m.To.Platform, m.To.ChannelID,
		m.To.ThreadID, m.UserID, dbID(m.TicketID), m.Text, buttons, created, next,
		m.Edit, m.Thread, m.Lane()).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// The key was taken, or the ticket is missing: as on SQLite, a
		// taken key wins, since the row was never inserted.
		if m.TicketID == 0 {
			return false, nil
		}
		var taken bool
		if err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE key = $1)`, m.Key).Scan(&taken); err != nil {
			return false, fmt.Errorf("postgres: enqueue: %w", err)
		}
		if taken {
			return false, nil
		}
		return false, tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", m.TicketID)
	} else if isForeignKey(err) {
		return false, tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", m.TicketID)
	} else if err != nil {
		return false, fmt.Errorf("postgres: enqueue: %w", err)
	}
	m.ID, m.Created, m.NextAttempt = id, created, next
	m.Attempts, m.SentAt, m.LastError, m.Ref, m.DeadAt = 0, time.Time{}, "", "", time.Time{}
	return true, nil
}

// Enqueue adds an outbox message in its own transaction.
func (s *Store) Enqueue(ctx context.Context, m *tickets.OutboxMessage) (added bool, err error) {
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		added, err = tx.Enqueue(ctx, m)
		return err
	})
	return added, err
}

// DueOutbox returns undelivered, live messages due by now that are first
// in their lane, oldest first. A limit of 0 or less means 100.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]*tickets.OutboxMessage, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	// The head of each lane comes from the outbox_lane index; a message
	// claimed by a dispatcher is still the head of its lane, and its
	// next_attempt (the claim's end) keeps it out of the due list.
	return s.queryOutbox(ctx, "due outbox", `SELECT `+outboxColumns+` FROM outbox
		WHERE id IN (SELECT MIN(id) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL GROUP BY lane)
		AND next_attempt <= $1
		ORDER BY id LIMIT $2`, stored(now), int64(limit))
}

// DeadOutbox returns given-up messages, newest first. A limit of 0 or less
// means 100.
func (s *Store) DeadOutbox(ctx context.Context, limit int) ([]*tickets.OutboxMessage, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	return s.queryOutbox(ctx, "dead outbox", `SELECT `+outboxColumns+` FROM outbox
		WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT $1`, int64(limit))
}

// OutboxMessage returns the message with key, or an ENOTFOUND error.
func (s *Store) OutboxMessage(ctx context.Context, key string) (*tickets.OutboxMessage, error) {
	ms, err := s.queryOutbox(ctx, "outbox message", `SELECT `+outboxColumns+` FROM outbox WHERE key = $1`, key)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "outbox message %q does not exist", key)
	}
	return ms[0], nil
}

func (s *Store) queryOutbox(ctx context.Context, op, q string, args ...any) ([]*tickets.OutboxMessage, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	defer rows.Close()
	var out []*tickets.OutboxMessage
	for rows.Next() {
		var m tickets.OutboxMessage
		var buttons []byte
		var attempts int64
		if err := rows.Scan(&m.ID, &m.Key, &m.To.Platform, &m.To.ChannelID, &m.To.ThreadID, &m.UserID,
			idCol{&m.TicketID}, &m.Text, &buttons, timeCol{&m.Created}, &attempts,
			timeCol{&m.NextAttempt}, timeCol{&m.SentAt}, &m.LastError,
			&m.Edit, &m.Thread, &m.Ref, timeCol{&m.DeadAt}); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		m.Attempts = int(attempts)
		if buttons != nil {
			if err := json.Unmarshal(buttons, &m.Buttons); err != nil {
				return nil, fmt.Errorf("postgres: %s: message %d buttons: %w", op, m.ID, err)
			}
		}
		out = append(out, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}

// MarkSent records a delivered message; a zero at is the current time.
// Marking a sent message again keeps the first time and reference.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time, ref string) error {
	if at.IsZero() {
		at = time.Now()
	}
	// One statement: the row lock makes a second MarkSent see the first.
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET sent_at = COALESCE(sent_at, $1),
		ref = CASE WHEN sent_at IS NULL THEN $2 ELSE ref END WHERE id = $3`,
		stored(at), ref, id)
	return outboxUpdated(tag, err, "mark sent", id)
}

// MarkFailed records a failed attempt and when to try again; a zero next
// means at once.
func (s *Store) MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error {
	if next.IsZero() {
		next = time.Now()
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1,
		next_attempt = $2 WHERE id = $3`, errText, stored(next), id)
	return outboxUpdated(tag, err, "mark failed", id)
}

// ClaimOutbox takes message id for delivery until until, if it is still
// waiting and due at now. Of two dispatchers updating the row at once, the
// second waits for the first's row lock and then finds the row no longer
// due (PostgreSQL re-checks the WHERE on the new row version), so only
// one claims it.
func (s *Store) ClaimOutbox(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET next_attempt = $1
		WHERE id = $2 AND sent_at IS NULL AND dead_at IS NULL AND next_attempt <= $3`,
		stored(until), id, stored(now))
	if err != nil {
		return false, fmt.Errorf("postgres: claim outbox: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkDead records that delivery of message id was given up; a zero at is
// the current time.
func (s *Store) MarkDead(ctx context.Context, id int64, errText string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1,
		dead_at = COALESCE(dead_at, $2) WHERE id = $3`, errText, stored(at), id)
	return outboxUpdated(tag, err, "mark dead", id)
}

// outboxUpdated turns the result of an UPDATE of message id into the error
// to return, ENOTFOUND when no row matched.
func outboxUpdated(tag pgconn.CommandTag, err error, op string, id int64) error {
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	if tag.RowsAffected() == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "outbox message %d does not exist", id)
	}
	return nil
}
