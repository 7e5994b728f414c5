package sqlite

import (
	"context"
	"fmt"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

const insertEvent = `INSERT INTO events (ticket_id, at, actor, kind, field, before_value, after_value, text)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// AddEvent appends an audit event and sets its ID. An event on a ticket
// that does not exist is an ENOTFOUND error.
func (t *tx) AddEvent(ctx context.Context, e *tickets.Event) error {
	if e.Kind == "" {
		return tickets.Errorf(tickets.EINVALID, "event on ticket #%d has no kind", e.TicketID)
	}
	res, err := t.exec(ctx, t.stmts.addEvent, insertEvent, e.TicketID, dbTime(e.At), e.Actor,
		string(e.Kind), e.Field, e.Before, e.After, e.Text)
	if isForeignKey(err) {
		return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", e.TicketID)
	} else if err != nil {
		return fmt.Errorf("sqlite: add event: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlite: add event: %w", err)
	}
	e.ID = id
	return nil
}

// Events returns a ticket's audit events, oldest first; events at the same
// time stay in the order they were added.
func (t *tx) Events(ctx context.Context, ticketID int64) ([]*tickets.Event, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT id, ticket_id, at, actor, kind, field, before_value, after_value, text
		FROM events WHERE ticket_id = ? ORDER BY at, id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	var out []*tickets.Event
	for rows.Next() {
		var e tickets.Event
		if err := rows.Scan(&e.ID, &e.TicketID, timeCol{&e.At}, &e.Actor, &e.Kind, &e.Field,
			&e.Before, &e.After, &e.Text); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
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
