package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

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

// writtenColumns are the columns insertTicket and updateTicket write, in
// ticketArgs' order: every stored column but the ID.
const writtenColumns = `kind, request_type, status, priority, impact, urgency, category, summary,
	requester_platform, requester_user_id, requester_name, requester_contact,
	origin_platform, origin_channel_id, origin_thread_id, fields, assignee, tier, resolution,
	linked_to, created_at, updated_at, first_response_at, resolved_at, response_due, resolve_due,
	owner, team, flags, major, csat, paused_at`

// nWritten is the number of writtenColumns.
const nWritten = 32

// placeholders is "$from, $from+1, ..., $from+n-1".
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ps, ", ")
}

var (
	insertTicket = `INSERT INTO tickets (` + writtenColumns + `) VALUES (` + placeholders(1, nWritten) + `) RETURNING id`
	updateTicket = `UPDATE tickets SET (` + writtenColumns + `) = ROW (` + placeholders(1, nWritten) + `) WHERE id = $` +
		strconv.Itoa(nWritten+1)
)

// ticketArgs are t's values in the order of writtenColumns, followed by
// extra.
func ticketArgs(t *tickets.Ticket, extra ...any) ([]any, error) {
	var fields any
	if len(t.Fields) > 0 {
		b, err := json.Marshal(t.Fields)
		if err != nil {
			return nil, err
		}
		fields = string(b)
	}
	flags := t.Flags
	if flags == nil {
		flags = []string{} // the column is NOT NULL; pgx sends a nil slice as NULL
	}
	args := []any{
		string(t.Kind), t.RequestType, string(t.Status), int64(t.Priority),
		string(t.Impact), string(t.Urgency), string(t.Category), t.Summary,
		t.Requester.Platform, t.Requester.UserID, t.Requester.Name, t.Requester.Contact,
		t.Origin.Platform, t.Origin.ChannelID, t.Origin.ThreadID, fields, t.Assignee,
		int64(t.Tier), t.Resolution, dbID(t.LinkedTo),
		dbTime(t.CreatedAt), dbTime(t.UpdatedAt), dbTime(t.FirstResponseAt),
		dbTime(t.ResolvedAt), dbTime(t.ResponseDue), dbTime(t.ResolveDue),
		t.Owner, t.Team, flags, t.Major, int64(t.CSAT), dbTime(t.PausedAt),
	}
	return append(args, extra...), nil
}

// scanTicket reads one row of ticketColumns.
func scanTicket(row pgx.Row) (*tickets.Ticket, error) {
	var t tickets.Ticket
	var fields []byte
	var kind, status, impact, urgency, category string
	var priority, tier, csat int64
	err := row.Scan(&t.ID, &kind, &t.RequestType, &status, &priority, &impact, &urgency,
		&category, &t.Summary,
		&t.Requester.Platform, &t.Requester.UserID, &t.Requester.Name, &t.Requester.Contact,
		&t.Origin.Platform, &t.Origin.ChannelID, &t.Origin.ThreadID, &fields, &t.Assignee,
		&tier, &t.Resolution, idCol{&t.LinkedTo},
		timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}, timeCol{&t.FirstResponseAt},
		timeCol{&t.ResolvedAt}, timeCol{&t.ResponseDue}, timeCol{&t.ResolveDue},
		&t.Owner, &t.Team, &t.Flags, &t.Major, &csat, timeCol{&t.PausedAt})
	if err != nil {
		return nil, err
	}
	t.Kind, t.Status, t.Priority = tickets.Kind(kind), tickets.Status(status), tickets.Priority(priority)
	t.Impact, t.Urgency, t.Category = tickets.Level(impact), tickets.Level(urgency), tickets.Category(category)
	t.Tier, t.CSAT = int(tier), int(csat)
	if len(t.Flags) == 0 {
		t.Flags = nil
	}
	if fields != nil {
		if err := json.Unmarshal(fields, &t.Fields); err != nil {
			return nil, fmt.Errorf("ticket #%d fields: %w", t.ID, err)
		}
	}
	return &t, nil
}

// Ticket returns the ticket with id, or an ENOTFOUND error.
func (t *tx) Ticket(ctx context.Context, id int64) (*tickets.Ticket, error) {
	tk, err := scanTicket(t.q.QueryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: ticket: %w", err)
	}
	return tk, nil
}

// checkLink returns an EINVALID error when tk links to a ticket that does
// not exist.
func (t *tx) checkLink(ctx context.Context, tk *tickets.Ticket) error {
	if tk.LinkedTo == 0 {
		return nil
	}
	ok, err := t.ticketExists(ctx, tk.LinkedTo)
	if err != nil {
		return err
	}
	if !ok {
		return tickets.Errorf(tickets.EINVALID, "ticket #%d to link to does not exist", tk.LinkedTo)
	}
	return nil
}

// CreateTicket stores a new ticket and sets its ID; an ID already set is
// ignored, as ticket numbers come only from the store.
func (t *tx) CreateTicket(ctx context.Context, tk *tickets.Ticket) error {
	if err := tk.Validate(); err != nil {
		return err
	}
	args, err := ticketArgs(tk)
	if err != nil {
		return fmt.Errorf("postgres: create ticket: %w", err)
	}
	if err := t.checkLink(ctx, tk); err != nil {
		return fmt.Errorf("postgres: create ticket: %w", err)
	}
	var id int64
	if err := t.q.QueryRow(ctx, insertTicket, args...).Scan(&id); isForeignKey(err) {
		return tickets.Errorf(tickets.EINVALID, "ticket #%d to link to does not exist", tk.LinkedTo)
	} else if err != nil {
		return fmt.Errorf("postgres: create ticket: %w", err)
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
		return fmt.Errorf("postgres: update ticket: %w", err)
	}
	if err := t.checkLink(ctx, tk); err != nil {
		return fmt.Errorf("postgres: update ticket: %w", err)
	}
	tag, err := t.q.Exec(ctx, updateTicket, args...)
	if isForeignKey(err) {
		return tickets.Errorf(tickets.EINVALID, "ticket #%d to link to does not exist", tk.LinkedTo)
	} else if err != nil {
		return fmt.Errorf("postgres: update ticket: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "ticket #%d does not exist", tk.ID)
	}
	return nil
}

// FindTickets returns tickets matching f, newest first.
func (t *tx) FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Requester != "" {
		where = append(where, "requester_key = "+arg(f.Requester))
	}
	switch f.Assignee {
	case "":
	case "-":
		where = append(where, "assignee = ''")
	default:
		where = append(where, "assignee = "+arg(f.Assignee))
	}
	if f.LinkedTo != 0 {
		where = append(where, "linked_to = "+arg(f.LinkedTo))
	}
	if f.Unlinked {
		where = append(where, "linked_to IS NULL")
	}
	if f.MaxTier > 0 {
		where = append(where, "tier <= "+arg(int64(f.MaxTier)))
	}
	if f.Major {
		where = append(where, "major")
	}
	if !f.CreatedAfter.IsZero() {
		where = append(where, "created_at > "+arg(stored(f.CreatedAfter)))
	}
	if !f.UpdatedAfter.IsZero() {
		where = append(where, "updated_at > "+arg(stored(f.UpdatedAfter)))
	}
	if len(f.Categories) > 0 {
		cs := make([]string, len(f.Categories))
		for i, c := range f.Categories {
			cs[i] = string(c)
		}
		where = append(where, "category = ANY ("+arg(cs)+")")
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		where = append(where, "status = ANY ("+arg(ss)+")")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	q := `SELECT ` + ticketColumns + ` FROM tickets`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	// NULLS LAST: SQLite sorts NULL as the smallest value, so a ticket
	// without a creation time comes last when newest is first.
	q += ` ORDER BY created_at DESC NULLS LAST, id DESC LIMIT ` + arg(int64(limit))

	rows, err := t.q.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: find tickets: %w", err)
	}
	defer rows.Close()
	var out []*tickets.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: find tickets: %w", err)
		}
		out = append(out, tk)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: find tickets: %w", err)
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
