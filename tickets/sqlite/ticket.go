package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// defaultLimit is the number of rows a list returns when the caller gives no
// limit, as tickets.TicketFilter documents.
const defaultLimit = 100

// ticketColumns are the stored columns of a ticket, in scanTicket's order.
const ticketColumns = `id, kind, request_type, status, priority, impact, urgency, category, summary,
	requester_platform, requester_user_id, requester_name, requester_contact,
	origin_platform, origin_channel_id, origin_thread_id, fields, assignee, tier, resolution,
	linked_to, created_at, updated_at, first_response_at, resolved_at, response_due, resolve_due,
	owner, team, flags, major, csat, paused_at`

const insertTicket = `INSERT INTO tickets (kind, request_type, status, priority, impact, urgency, category, summary,
	requester_platform, requester_user_id, requester_name, requester_contact,
	origin_platform, origin_channel_id, origin_thread_id, fields, assignee, tier, resolution,
	linked_to, created_at, updated_at, first_response_at, resolved_at, response_due, resolve_due,
	owner, team, flags, major, csat, paused_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const updateTicket = `UPDATE tickets SET kind = ?, request_type = ?, status = ?, priority = ?, impact = ?,
	urgency = ?, category = ?, summary = ?,
	requester_platform = ?, requester_user_id = ?, requester_name = ?, requester_contact = ?,
	origin_platform = ?, origin_channel_id = ?, origin_thread_id = ?, fields = ?, assignee = ?,
	tier = ?, resolution = ?, linked_to = ?, created_at = ?, updated_at = ?,
	first_response_at = ?, resolved_at = ?, response_due = ?, resolve_due = ?,
	owner = ?, team = ?, flags = ?, major = ?, csat = ?, paused_at = ?
	WHERE id = ?`

// ticketArgs are t's values in the column order of insertTicket and
// updateTicket, followed by extra.
func ticketArgs(t *tickets.Ticket, extra ...any) ([]any, error) {
	var fields any
	if len(t.Fields) > 0 {
		b, err := json.Marshal(t.Fields)
		if err != nil {
			return nil, err
		}
		fields = string(b)
	}
	args := []any{
		string(t.Kind), t.RequestType, string(t.Status), int64(t.Priority),
		string(t.Impact), string(t.Urgency), string(t.Category), t.Summary,
		t.Requester.Platform, t.Requester.UserID, t.Requester.Name, t.Requester.Contact,
		t.Origin.Platform, t.Origin.ChannelID, t.Origin.ThreadID, fields, t.Assignee,
		int64(t.Tier), t.Resolution, dbID(t.LinkedTo),
		dbTime(t.CreatedAt), dbTime(t.UpdatedAt), dbTime(t.FirstResponseAt),
		dbTime(t.ResolvedAt), dbTime(t.ResponseDue), dbTime(t.ResolveDue),
		t.Owner, t.Team, strings.Join(t.Flags, ","), t.Major, int64(t.CSAT), dbTime(t.PausedAt),
	}
	return append(args, extra...), nil
}

// scanTicket reads one row of ticketColumns.
func scanTicket(row interface{ Scan(...any) error }) (*tickets.Ticket, error) {
	var t tickets.Ticket
	var fieldsText sql.NullString
	var flags string
	err := row.Scan(&t.ID, &t.Kind, &t.RequestType, &t.Status, &t.Priority, &t.Impact, &t.Urgency,
		&t.Category, &t.Summary,
		&t.Requester.Platform, &t.Requester.UserID, &t.Requester.Name, &t.Requester.Contact,
		&t.Origin.Platform, &t.Origin.ChannelID, &t.Origin.ThreadID, &fieldsText, &t.Assignee,
		&t.Tier, &t.Resolution, idCol{&t.LinkedTo},
		timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}, timeCol{&t.FirstResponseAt},
		timeCol{&t.ResolvedAt}, timeCol{&t.ResponseDue}, timeCol{&t.ResolveDue},
		&t.Owner, &t.Team, &flags, &t.Major, &t.CSAT, timeCol{&t.PausedAt})
	if err != nil {
		return nil, err
	}
	if flags != "" {
		t.Flags = strings.Split(flags, ",")
	}
	if fieldsText.Valid {
		if err := json.Unmarshal([]byte(fieldsText.String), &t.Fields); err != nil {
			return nil, fmt.Errorf("ticket #%d fields: %w", t.ID, err)
		}
	}
	return &t, nil
}

// Ticket returns the ticket with id, or an ENOTFOUND error.
func (t *tx) Ticket(ctx context.Context, id int64) (*tickets.Ticket, error) {
	row := t.q.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, id)
	tk, err := scanTicket(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: ticket: %w", err)
	}
	return tk, nil
}

// CreateTicket stores a new ticket and sets its ID; an ID already set is
// ignored, as ticket numbers come only from the store.
func (t *tx) CreateTicket(ctx context.Context, tk *tickets.Ticket) error {
	if err := tk.Validate(); err != nil {
		return err
	}
	args, err := ticketArgs(tk)
	if err != nil {
		return fmt.Errorf("sqlite: create ticket: %w", err)
	}
	res, err := t.exec(ctx, t.stmts.createTicket, insertTicket, args...)
	if isForeignKey(err) {
		return tickets.Errorf(tickets.EINVALID, "ticket #%d to link to does not exist", tk.LinkedTo)
	} else if err != nil {
		return fmt.Errorf("sqlite: create ticket: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlite: create ticket: %w", err)
	}
	tk.ID = id
	return nil
}

// UpdateTicket stores every field of an existing ticket.
func (t *tx) UpdateTicket(ctx context.Context, tk *tickets.Ticket) error {
	if err := tk.Validate(); err != nil {
		return err
	}
	args, err := ticketArgs(tk, tk.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update ticket: %w", err)
	}
	res, err := t.q.ExecContext(ctx, updateTicket, args...)
	if isForeignKey(err) {
		return tickets.Errorf(tickets.EINVALID, "ticket #%d to link to does not exist", tk.LinkedTo)
	} else if err != nil {
		return fmt.Errorf("sqlite: update ticket: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: update ticket: %w", err)
	} else if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", tk.ID)
	}
	return nil
}

// FindTickets returns tickets matching f, newest first.
func (t *tx) FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	var where []string
	var args []any
	if f.Requester != "" {
		where = append(where, "requester_key = ?")
		args = append(args, f.Requester)
	}
	switch f.Assignee {
	case "":
	case "-":
		where = append(where, "assignee = ''")
	default:
		where = append(where, "assignee = ?")
		args = append(args, f.Assignee)
	}
	if f.LinkedTo != 0 {
		where = append(where, "linked_to = ?")
		args = append(args, f.LinkedTo)
	}
	if f.Unlinked {
		where = append(where, "linked_to IS NULL")
	}
	if f.MaxTier > 0 {
		where = append(where, "tier <= ?")
		args = append(args, f.MaxTier)
	}
	if f.Major {
		where = append(where, "major = 1")
	}
	if !f.CreatedAfter.IsZero() {
		where = append(where, "created_at > ?")
		args = append(args, f.CreatedAfter.UnixMicro())
	}
	if !f.UpdatedAfter.IsZero() {
		where = append(where, "updated_at > ?")
		args = append(args, f.UpdatedAfter.UnixMicro())
	}
	if len(f.Categories) > 0 {
		where = append(where, "category IN (?"+strings.Repeat(", ?", len(f.Categories)-1)+")")
		for _, c := range f.Categories {
			args = append(args, string(c))
		}
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	q := `SELECT ` + ticketColumns + ` FROM tickets`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit)

	rows, err := t.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find tickets: %w", err)
	}
	defer rows.Close()
	var out []*tickets.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: find tickets: %w", err)
		}
		out = append(out, tk)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: find tickets: %w", err)
	}
	return out, nil
}

// Ticket returns the ticket with id, or an ENOTFOUND error.
func (s *Store) Ticket(ctx context.Context, id int64) (*tickets.Ticket, error) {
	return s.reader().Ticket(ctx, id)
}

// CreateTicket stores a new ticket in its own transaction and sets its ID.
func (s *Store) CreateTicket(ctx context.Context, t *tickets.Ticket) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.CreateTicket(ctx, t) })
}

// UpdateTicket stores every field of an existing ticket in its own transaction.
func (s *Store) UpdateTicket(ctx context.Context, t *tickets.Ticket) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.UpdateTicket(ctx, t) })
}

// FindTickets returns tickets matching f, newest first.
func (s *Store) FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return s.reader().FindTickets(ctx, f)
}
