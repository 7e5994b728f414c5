package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// AddEvent appends an audit event and sets its ID. An event on a ticket
// that does not exist is an ENOTFOUND error.
func (t *Tx) AddEvent(ctx context.Context, e *tickets.Event) error {
	if e.Kind == "" {
		return tickets.Errorf(tickets.EINVALID, "event on ticket #%d has no kind", e.TicketID)
	}
	id, err := t.q.Insert(ctx, t.d.InsertEvent, e.TicketID, t.d.dbTime(e.At), e.Actor,
		string(e.Kind), e.Field, e.Before, e.After, e.Text)
	if errors.Is(err, sql.ErrNoRows) || t.d.IsForeignKey(err) {
		return tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", e.TicketID)
	} else if err != nil {
		return t.d.wrap("add event", err)
	}
	e.ID = id
	return nil
}

// MoveEvent moves event id to ticket to.
func (t *Tx) MoveEvent(ctx context.Context, id, to int64) error {
	n, err := t.q.Exec(ctx, `UPDATE events SET ticket_id = $1 WHERE id = $2`, to, id)
	if t.d.IsForeignKey(err) {
		return tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", to)
	} else if err != nil {
		return t.d.wrap("move event", err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "event %d does not exist", id)
	}
	return nil
}

// Events returns a ticket's audit events, oldest first; events at the same
// time stay in the order they were added.
func (t *Tx) Events(ctx context.Context, ticketID int64) ([]*tickets.Event, error) {
	// NULLS FIRST is SQLite's own order made PostgreSQL's too.
	return queryAll(ctx, t.q, t.d, "events", scanEvent, `SELECT id, ticket_id, at, actor, kind, field,
		before_value, after_value, text
		FROM events WHERE ticket_id = $1 ORDER BY at NULLS FIRST, id`, ticketID)
}

// LastEventID returns the ID of the event last added to a ticket, 0 when
// it has none: the last entry of the events_ticket index.
func (t *Tx) LastEventID(ctx context.Context, ticketID int64) (int64, error) {
	var id int64
	err := t.q.QueryRow(ctx, `SELECT id FROM events WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1`, ticketID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, t.d.wrap("last event", err)
	}
	return id, nil
}

// LatestEvent returns the event of kind last added to a ticket, or an
// ENOTFOUND error: the last entry of the events_ticket_kind index.
func (t *Tx) LatestEvent(ctx context.Context, ticketID int64, kind tickets.EventKind) (*tickets.Event, error) {
	e, err := scanEvent(t.q.QueryRow(ctx, `SELECT id, ticket_id, at, actor, kind, field,
		before_value, after_value, text
		FROM events WHERE ticket_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`, ticketID, string(kind)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "ticket #%d has no %s event", ticketID, kind)
	} else if err != nil {
		return nil, t.d.wrap("latest event", err)
	}
	return e, nil
}

// scanEvent reads one row of Events.
func scanEvent(row Row) (*tickets.Event, error) {
	var e tickets.Event
	var kind string
	if err := row.Scan(&e.ID, &e.TicketID, timeCol{&e.At}, &e.Actor, &kind, &e.Field,
		&e.Before, &e.After, &e.Text); err != nil {
		return nil, err
	}
	e.Kind = tickets.EventKind(kind)
	return &e, nil
}

// Conversation returns the conversation with key, or an ENOTFOUND error.
func (t *Tx) Conversation(ctx context.Context, key string) (*tickets.Conversation, error) {
	c := tickets.Conversation{Key: key}
	err := t.q.QueryRow(ctx, `SELECT state, updated_at FROM conversations WHERE key = $1`, key).
		Scan(&c.State, timeCol{&c.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "conversation %q does not exist", key)
	} else if err != nil {
		return nil, t.d.wrap("conversation", err)
	}
	return &c, nil
}

// SaveConversation creates or replaces a conversation.
func (t *Tx) SaveConversation(ctx context.Context, c *tickets.Conversation) error {
	if c.Key == "" {
		return tickets.Errorf(tickets.EINVALID, "conversation has no key")
	}
	state := c.State
	if state == nil {
		state = []byte{} // the column is NOT NULL; no state is empty state
	}
	_, err := t.q.Exec(ctx, `INSERT INTO conversations (key, state, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		c.Key, state, t.d.dbTime(c.UpdatedAt))
	if err != nil {
		return t.d.wrap("save conversation", err)
	}
	return nil
}

// DeleteConversation removes a conversation; a missing one is no error.
func (t *Tx) DeleteConversation(ctx context.Context, key string) error {
	if _, err := t.q.Exec(ctx, `DELETE FROM conversations WHERE key = $1`, key); err != nil {
		return t.d.wrap("delete conversation", err)
	}
	return nil
}

// RecordSelfService stores a report solved without a ticket and sets its ID.
func (t *Tx) RecordSelfService(ctx context.Context, s *tickets.SelfService) error {
	var offered any
	if len(s.Offered) > 0 {
		b, err := json.Marshal(s.Offered)
		if err != nil {
			return t.d.wrap("record self-service", err)
		}
		offered = string(b)
	}
	id, err := t.q.Insert(ctx, `INSERT INTO self_service (requester_platform, requester_user_id,
		requester_name, requester_contact, category, summary, article_id, offered, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		s.Requester.Platform, s.Requester.UserID, s.Requester.Name, s.Requester.Contact,
		string(s.Category), s.Summary, s.ArticleID, offered, t.d.dbTime(s.At))
	if err != nil {
		return t.d.wrap("record self-service", err)
	}
	s.ID = id
	return nil
}

// scanSelfService reads one row of SelfServices.
func scanSelfService(row Row) (*tickets.SelfService, error) {
	var r tickets.SelfService
	var offered []byte
	var category string
	if err := row.Scan(&r.ID, &r.Requester.Platform, &r.Requester.UserID, &r.Requester.Name,
		&r.Requester.Contact, &category, &r.Summary, &r.ArticleID, &offered, timeCol{&r.At}); err != nil {
		return nil, err
	}
	r.Category = tickets.Category(category)
	if offered != nil {
		if err := json.Unmarshal(offered, &r.Offered); err != nil {
			return nil, fmt.Errorf("record %d offered: %w", r.ID, err)
		}
	}
	return &r, nil
}

// SeenEvent records an inbound platform event ID and reports whether it was
// new, so a redelivered event is handled once. Of two transactions
// recording the same ID at once, the second waits for the first to end and
// is new only if the first rolled back.
func (t *Tx) SeenEvent(ctx context.Context, id string, at time.Time) (bool, error) {
	if id == "" {
		return false, tickets.Errorf(tickets.EINVALID, "platform event has no ID")
	}
	n, err := t.q.Exec(ctx, `INSERT INTO seen_events (id, at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
		id, t.d.dbTime(at))
	if err != nil {
		return false, t.d.wrap("seen event", err)
	}
	return n == 1, nil
}

// SetEventReplies keeps replies with the seen event id.
func (t *Tx) SetEventReplies(ctx context.Context, id string, replies []byte) error {
	n, err := t.q.Exec(ctx, `UPDATE seen_events SET replies = $1 WHERE id = $2`, replies, id)
	if err != nil {
		return t.d.wrap("set event replies", err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "platform event %s was not seen", id)
	}
	return nil
}

// EventReplies returns the replies kept with the seen event id.
func (t *Tx) EventReplies(ctx context.Context, id string) ([]byte, error) {
	var replies []byte
	err := t.q.QueryRow(ctx, `SELECT replies FROM seen_events WHERE id = $1`, id).Scan(&replies)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, t.d.wrap("event replies", err)
	}
	return replies, nil
}

// TicketEventsSince returns the events of every ticket changed after
// since or still being worked, ordered by ticket, then oldest first: the
// history KPIs read, in one query rather than one per ticket.
func (s *Store) TicketEventsSince(ctx context.Context, since time.Time) ([]*tickets.Event, error) {
	return queryAll(ctx, s.read, s.d, "ticket events", scanEvent, `SELECT id, ticket_id, at, actor, kind, field,
		before_value, after_value, text
		FROM events WHERE ticket_id IN (SELECT id FROM tickets
			WHERE updated_at > $1 OR status IN ('new', 'open', 'pending', 'escalated'))
		ORDER BY ticket_id, at NULLS FIRST, id`, s.d.Time(since))
}
