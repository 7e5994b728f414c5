package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// SetTimers replaces every timer of ticket id with ts.
func (t *tx) SetTimers(ctx context.Context, ticketID int64, ts []tickets.Timer) error {
	for _, tm := range ts {
		if tm.Kind == "" || tm.Due.IsZero() {
			return tickets.Errorf(tickets.EINVALID, "timer for ticket #%d has no kind or due time", ticketID)
		}
	}
	if len(ts) > 0 {
		ok, err := t.ticketExists(ctx, ticketID)
		if err != nil {
			return fmt.Errorf("postgres: set timers: %w", err)
		}
		if !ok {
			return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", ticketID)
		}
	}
	if _, err := t.q.Exec(ctx, `DELETE FROM timers WHERE ticket_id = $1`, ticketID); err != nil {
		return fmt.Errorf("postgres: set timers: %w", err)
	}
	for _, tm := range ts {
		_, err := t.q.Exec(ctx, `INSERT INTO timers (ticket_id, kind, due_at) VALUES ($1, $2, $3)
			ON CONFLICT (ticket_id, kind) DO UPDATE SET due_at = excluded.due_at`,
			ticketID, string(tm.Kind), stored(tm.Due))
		if isForeignKey(err) {
			return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", ticketID)
		} else if err != nil {
			return fmt.Errorf("postgres: set timers: %w", err)
		}
	}
	return nil
}

// TakeTimer removes timer id; taken is false when it was already gone. Of
// two transactions taking it at once, the second waits for the first and
// takes it only if the first rolled back.
func (t *tx) TakeTimer(ctx context.Context, id int64) (bool, error) {
	tag, err := t.q.Exec(ctx, `DELETE FROM timers WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("postgres: take timer: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetTimers replaces ticket id's timers in its own transaction.
func (s *Store) SetTimers(ctx context.Context, ticketID int64, ts []tickets.Timer) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.SetTimers(ctx, ticketID, ts) })
}

// TakeTimer removes timer id in its own transaction.
func (s *Store) TakeTimer(ctx context.Context, id int64) (taken bool, err error) {
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		taken, err = tx.TakeTimer(ctx, id)
		return err
	})
	return taken, err
}

// DueTimers returns timers due at or before now, earliest first. A limit
// of 0 or less means 100.
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]*tickets.Timer, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	return s.queryTimers(ctx, "due timers", `SELECT id, ticket_id, kind, due_at FROM timers
		WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`, stored(now), int64(limit))
}

// Timers returns ticket id's timers, earliest first.
func (s *Store) Timers(ctx context.Context, ticketID int64) ([]*tickets.Timer, error) {
	return s.queryTimers(ctx, "timers", `SELECT id, ticket_id, kind, due_at FROM timers
		WHERE ticket_id = $1 ORDER BY due_at, id`, ticketID)
}

func (s *Store) queryTimers(ctx context.Context, op, q string, args ...any) ([]*tickets.Timer, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	defer rows.Close()
	var out []*tickets.Timer
	for rows.Next() {
		var tm tickets.Timer
		var kind string
		if err := rows.Scan(&tm.ID, &tm.TicketID, &kind, timeCol{&tm.Due}); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		tm.Kind = tickets.TimerKind(kind)
		out = append(out, &tm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}
