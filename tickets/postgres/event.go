package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// insertEvent adds an event only when its ticket exists, so a missing
// ticket returns no row instead of failing the statement (and with it the
// transaction). Tickets are never deleted, so no check can go stale.
const insertEvent = `INSERT INTO events (ticket_id, at, actor, kind, field, before_value, after_value, text)
	SELECT $1::bigint, $2::timestamptz, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text
	WHERE EXISTS (SELECT 1 FROM tickets WHERE id = $1)
	RETURNING id`

// AddEvent appends an audit event and sets its ID. An event on a ticket
// that does not exist is an ENOTFOUND error.
func (t *tx) AddEvent(ctx context.Context, e *tickets.Event) error {
	if e.Kind == "" {
		return tickets.Errorf(tickets.EINVALID, "event on ticket #%d has no kind", e.TicketID)
	}
	var id int64
	err := t.q.QueryRow(ctx, insertEvent, e.TicketID, dbTime(e.At), e.Actor,
		string(e.Kind), e.Field, e.Before, e.After, e.Text).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) || isForeignKey(err) {
		return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", e.TicketID)
	} else if err != nil {
		return fmt.Errorf("postgres: add event: %w", err)
	}
	e.ID = id
	return nil
}

// Events returns a ticket's audit events, oldest first; events at the same
// time stay in the order they were added.
func (t *tx) Events(ctx context.Context, ticketID int64) ([]*tickets.Event, error) {
	rows, err := t.q.Query(ctx, `SELECT id, ticket_id, at, actor, kind, field, before_value, after_value, text
		FROM events WHERE ticket_id = $1 ORDER BY at NULLS FIRST, id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	defer rows.Close()
	var out []*tickets.Event
	for rows.Next() {
		var e tickets.Event
		var kind string
		if err := rows.Scan(&e.ID, &e.TicketID, timeCol{&e.At}, &e.Actor, &kind, &e.Field,
			&e.Before, &e.After, &e.Text); err != nil {
			return nil, fmt.Errorf("postgres: events: %w", err)
		}
		e.Kind = tickets.EventKind(kind)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return out, nil
}

// AddEvent appends an audit event in its own transaction and sets its ID.
func (s *Store) AddEvent(ctx context.Context, e *tickets.Event) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.AddEvent(ctx, e) })
}

// Events returns a ticket's audit events, oldest first.
func (s *Store) Events(ctx context.Context, ticketID int64) ([]*tickets.Event, error) {
	return s.reader().Events(ctx, ticketID)
}
