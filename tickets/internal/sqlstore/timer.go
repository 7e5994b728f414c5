package sqlstore

import (
	"context"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// SetTimers replaces every timer of ticket id with ts.
func (t *Tx) SetTimers(ctx context.Context, ticketID int64, ts []tickets.Timer) error {
	for _, tm := range ts {
		if tm.Kind == "" || tm.Due.IsZero() {
			return tickets.Errorf(tickets.EINVALID, "timer for ticket #%d has no kind or due time", ticketID)
		}
	}
	if len(ts) > 0 {
		ok, err := t.ticketExists(ctx, ticketID)
		if err != nil {
			return t.d.wrap("set timers", err)
		}
		if !ok {
			return tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", ticketID)
		}
	}
	if _, err := t.q.Exec(ctx, `DELETE FROM timers WHERE ticket_id = $1`, ticketID); err != nil {
		return t.d.wrap("set timers", err)
	}
	for _, tm := range ts {
		_, err := t.q.Exec(ctx, `INSERT INTO timers (ticket_id, kind, due_at) VALUES ($1, $2, $3)
			ON CONFLICT (ticket_id, kind) DO UPDATE SET due_at = excluded.due_at`,
			ticketID, string(tm.Kind), t.d.Time(tm.Due))
		if t.d.IsForeignKey(err) {
			return tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", ticketID)
		} else if err != nil {
			return t.d.wrap("set timers", err)
		}
	}
	return nil
}

// TakeTimer removes timer id; taken is false when it was already gone. Of
// two transactions taking it at once, the second waits for the first and
// takes it only if the first rolled back.
func (t *Tx) TakeTimer(ctx context.Context, id int64) (bool, error) {
	n, err := t.q.Exec(ctx, `DELETE FROM timers WHERE id = $1`, id)
	if err != nil {
		return false, t.d.wrap("take timer", err)
	}
	return n == 1, nil
}

// DueTimers returns timers due at or before now, earliest first. A limit
// of 0 or less means 100.
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]*tickets.Timer, error) {
	return queryAll(ctx, s.read, s.d, "due timers", scanTimer, `SELECT id, ticket_id, kind, due_at FROM timers
		WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`, s.d.Time(now), limitOr(limit))
}

// Timers returns ticket id's timers, earliest first.
func (s *Store) Timers(ctx context.Context, ticketID int64) ([]*tickets.Timer, error) {
	return queryAll(ctx, s.read, s.d, "timers", scanTimer, `SELECT id, ticket_id, kind, due_at FROM timers
		WHERE ticket_id = $1 ORDER BY due_at, id`, ticketID)
}

// scanTimer reads one row of id, ticket_id, kind, due_at.
func scanTimer(row Row) (*tickets.Timer, error) {
	var tm tickets.Timer
	var kind string
	if err := row.Scan(&tm.ID, &tm.TicketID, &kind, timeCol{&tm.Due}); err != nil {
		return nil, err
	}
	tm.Kind = tickets.TimerKind(kind)
	return &tm, nil
}
