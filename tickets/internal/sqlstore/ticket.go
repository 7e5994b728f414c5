package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Tx implements tickets.Tx, and kb.UseCounter, on a Querier: a store's
// write transaction, or its pool for the reads the Store makes outside one.
type Tx struct {
	d *Dialect
	q Querier
}

// NewTx runs the tickets.Tx methods through q.
func NewTx(d *Dialect, q Querier) *Tx { return &Tx{d: d, q: q} }

// ticketColumns are the stored columns of a ticket, in scanTicket's order.
const ticketColumns = `id, ` + writtenColumns

// writtenColumns are the columns InsertTicket and updateTicket write, in
// ticketArgs' order: every stored column but the ID.
const writtenColumns = `kind, request_type, status, priority, impact, urgency, category, summary,
	requester_platform, requester_user_id, requester_name, requester_contact,
	origin_platform, origin_channel_id, origin_thread_id, fields, assignee, tier, resolution,
	linked_to, created_at, updated_at, first_response_at, resolved_at, response_due, resolve_due,
	owner, team, flags, major, csat, paused_at`

// InsertTicket adds a ticket, RETURNING id; updateTicket changes ticket $33.
const (
	InsertTicket = `INSERT INTO tickets (` + writtenColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
		$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)
	RETURNING id`
	updateTicket = `UPDATE tickets SET (` + writtenColumns + `)
	= ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
		$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)
	WHERE id = $33`
)

// Hot are the statements the bot makes for every ticket it creates: worth
// preparing once where that saves parsing them each time (SQLite; pgx
// caches every statement it prepares).
func (d *Dialect) Hot() []string { return []string{InsertTicket, d.InsertEvent, d.InsertOutbox} }

// ticketArgs are tk's values in the order of writtenColumns, followed by
// extra.
func (t *Tx) ticketArgs(tk *tickets.Ticket, extra ...any) ([]any, error) {
	var fields any
	if len(tk.Fields) > 0 {
		b, err := json.Marshal(tk.Fields)
		if err != nil {
			return nil, err
		}
		fields = string(b)
	}
	d := t.d
	args := []any{
		string(tk.Kind), tk.RequestType, string(tk.Status), int64(tk.Priority),
		string(tk.Impact), string(tk.Urgency), string(tk.Category), tk.Summary,
		tk.Requester.Platform, tk.Requester.UserID, tk.Requester.Name, tk.Requester.Contact,
		tk.Origin.Platform, tk.Origin.ChannelID, tk.Origin.ThreadID, fields, tk.Assignee,
		int64(tk.Tier), tk.Resolution, dbID(tk.LinkedTo),
		d.dbTime(tk.CreatedAt), d.dbTime(tk.UpdatedAt), d.dbTime(tk.FirstResponseAt),
		d.dbTime(tk.ResolvedAt), d.dbTime(tk.ResponseDue), d.dbTime(tk.ResolveDue),
		tk.Owner, tk.Team, d.Flags(tk.Flags), tk.Major, int64(tk.CSAT), d.dbTime(tk.PausedAt),
	}
	return append(args, extra...), nil
}

// scanTicket reads one row of ticketColumns. Enumerations and numbers go
// through plain strings and int64, which every driver scans into.
func (t *Tx) scanTicket(row Row) (*tickets.Ticket, error) {
	var tk tickets.Ticket
	var fields []byte
	var kind, status, impact, urgency, category string
	var priority, tier, csat int64
	err := row.Scan(&tk.ID, &kind, &tk.RequestType, &status, &priority, &impact, &urgency,
		&category, &tk.Summary,
		&tk.Requester.Platform, &tk.Requester.UserID, &tk.Requester.Name, &tk.Requester.Contact,
		&tk.Origin.Platform, &tk.Origin.ChannelID, &tk.Origin.ThreadID, &fields, &tk.Assignee,
		&tier, &tk.Resolution, idCol{&tk.LinkedTo},
		timeCol{&tk.CreatedAt}, timeCol{&tk.UpdatedAt}, timeCol{&tk.FirstResponseAt},
		timeCol{&tk.ResolvedAt}, timeCol{&tk.ResponseDue}, timeCol{&tk.ResolveDue},
		&tk.Owner, &tk.Team, t.d.ScanFlags(&tk.Flags), &tk.Major, &csat, timeCol{&tk.PausedAt})
	if err != nil {
		return nil, err
	}
	tk.Kind, tk.Status, tk.Priority = tickets.Kind(kind), tickets.Status(status), tickets.Priority(priority)
	tk.Impact, tk.Urgency, tk.Category = tickets.Level(impact), tickets.Level(urgency), tickets.Category(category)
	tk.Tier, tk.CSAT = int(tier), int(csat)
	if len(tk.Flags) == 0 {
		tk.Flags = nil
	}
	if fields != nil {
		if err := json.Unmarshal(fields, &tk.Fields); err != nil {
			return nil, fmt.Errorf("ticket #%d fields: %w", tk.ID, err)
		}
	}
	return &tk, nil
}

// Ticket returns the ticket with id, or an ENOTFOUND error.
func (t *Tx) Ticket(ctx context.Context, id int64) (*tickets.Ticket, error) {
	tk, err := t.scanTicket(t.q.QueryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", id)
	} else if err != nil {
		return nil, t.d.wrap("ticket", err)
	}
	return tk, nil
}

// ticketExists reports whether ticket id is stored. Tickets are never
// deleted, so the answer holds for the rest of the transaction; checking
// first keeps a missing ticket from failing a statement, which would abort
// the whole transaction on PostgreSQL.
func (t *Tx) ticketExists(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1)`, id).Scan(&ok)
	return ok, err
}

// checkLink returns an EINVALID error when tk links to a ticket that does
// not exist.
func (t *Tx) checkLink(ctx context.Context, tk *tickets.Ticket) error {
	if tk.LinkedTo == 0 {
		return nil
	}
	ok, err := t.ticketExists(ctx, tk.LinkedTo)
	if err != nil {
		return err
	}
	if !ok {
		return tickets.Errorf(tickets.EINVALID, "Ticket #%d to link to does not exist.", tk.LinkedTo)
	}
	return nil
}

// writeArgs checks tk as every stored ticket must be and returns its
// values for InsertTicket or updateTicket, followed by extra.
func (t *Tx) writeArgs(ctx context.Context, tk *tickets.Ticket, op string, extra ...any) ([]any, error) {
	if err := tk.Validate(); err != nil {
		return nil, err
	}
	args, err := t.ticketArgs(tk, extra...)
	if err != nil {
		return nil, t.d.wrap(op, err)
	}
	if err := t.checkLink(ctx, tk); err != nil {
		return nil, t.d.wrap(op, err)
	}
	return args, nil
}

// writeErr is the error of a failed write of tk: EINVALID when the ticket
// it links to is missing (a foreign key violation, should checkLink's
// answer have gone stale).
func (t *Tx) writeErr(op string, tk *tickets.Ticket, err error) error {
	if t.d.IsForeignKey(err) {
		return tickets.Errorf(tickets.EINVALID, "Ticket #%d to link to does not exist.", tk.LinkedTo)
	}
	return t.d.wrap(op, err)
}

// CreateTicket stores a new ticket and sets its ID; an ID already set is
// ignored, as ticket numbers come only from the store.
func (t *Tx) CreateTicket(ctx context.Context, tk *tickets.Ticket) error {
	args, err := t.writeArgs(ctx, tk, "create ticket")
	if err != nil {
		return err
	}
	id, err := t.q.Insert(ctx, InsertTicket, args...)
	if err != nil {
		return t.writeErr("create ticket", tk, err)
	}
	tk.ID = id
	return nil
}

// UpdateTicket stores every field of an existing ticket.
func (t *Tx) UpdateTicket(ctx context.Context, tk *tickets.Ticket) error {
	args, err := t.writeArgs(ctx, tk, "update ticket", tk.ID)
	if err != nil {
		return err
	}
	n, err := t.q.Exec(ctx, updateTicket, args...)
	if err != nil {
		return t.writeErr("update ticket", tk, err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "Ticket #%d does not exist.", tk.ID)
	}
	return nil
}

// activeStatuses selects the active tickets, written as the tickets_queue
// index's condition is: a database uses a partial index only for a query
// whose condition it can prove implies the index's, which it cannot with
// the statuses as parameters, nor in another order.
const activeStatuses = `status IN ('escalated', 'new', 'open', 'pending')`

// activeOnly reports whether ss are the active statuses, each once, in any
// order.
func activeOnly(ss []tickets.Status) bool {
	if len(ss) != 4 {
		return false
	}
	seen := map[tickets.Status]bool{}
	for _, s := range ss {
		if !s.Active() || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

// filter is a TicketFilter as SQL: its condition and their arguments.
type filter struct {
	where []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (q *filter) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// clause is " WHERE ..." or "".
func (q *filter) clause() string {
	if len(q.where) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(q.where, " AND ")
}

// FindTickets returns tickets matching f, newest first.
func (t *Tx) FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return t.find(ctx, f, "find tickets", ticketColumns, t.scanTicket)
}

// find reads columns of the tickets f matches, in FindTickets' order,
// through scan.
func (t *Tx) find(ctx context.Context, f tickets.TicketFilter, op, columns string,
	scan func(Row) (*tickets.Ticket, error)) ([]*tickets.Ticket, error) {
	q := t.filter(f)
	sel := `SELECT ` + columns + ` FROM tickets` + q.clause()
	if f.InIDOrder {
		// Pages go in number order, which a new ticket cannot change.
		sel += ` ORDER BY id LIMIT ` + q.arg(limitOr(f.Limit))
		return queryAll(ctx, t.q, t.d, op, scan, sel, q.args...)
	}
	// NULLS LAST is SQLite's own order (NULL is its smallest value) made
	// PostgreSQL's too: a ticket without a creation time comes last.
	sel += ` ORDER BY created_at DESC NULLS LAST, id DESC LIMIT ` + q.arg(limitOr(f.Limit))
	return queryAll(ctx, t.q, t.d, op, scan, sel, q.args...)
}

// CountTickets returns how many tickets match f; f.Limit is ignored.
func (t *Tx) CountTickets(ctx context.Context, f tickets.TicketFilter) (int, error) {
	q := t.filter(f)
	var n int64
	if err := t.q.QueryRow(ctx, `SELECT COUNT(*) FROM tickets`+q.clause(), q.args...).Scan(&n); err != nil {
		return 0, t.d.wrap("count tickets", err)
	}
	return int(n), nil
}

// filter writes f's conditions.
func (t *Tx) filter(f tickets.TicketFilter) *filter {
	q := &filter{}
	arg := q.arg
	var where []string
	anyOf := func(col string, vals []string) string {
		ps := make([]string, len(vals))
		for i, v := range vals {
			ps[i] = arg(v)
		}
		return col + " IN (" + strings.Join(ps, ", ") + ")"
	}
	if f.Requester != "" {
		where = append(where, "requester_key = "+arg(f.Requester))
	}
	if len(f.Requesters) > 0 {
		where = append(where, anyOf("requester_key", f.Requesters))
	}
	if f.Contact != "" {
		where = append(where, "lower(requester_contact) = lower("+arg(f.Contact)+")")
	}
	switch f.Assignee {
	case "":
	case "-":
		where = append(where, "assignee = ''")
	default:
		where = append(where, "assignee = "+arg(f.Assignee))
	}
	if len(f.Workers) > 0 {
		where = append(where, "("+anyOf("assignee", f.Workers)+" OR "+anyOf("owner", f.Workers)+")")
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
		where = append(where, t.d.MajorOnly)
	}
	if !f.CreatedAfter.IsZero() {
		where = append(where, "created_at > "+arg(t.d.Time(f.CreatedAfter)))
	}
	if !f.UpdatedAfter.IsZero() {
		where = append(where, "updated_at > "+arg(t.d.Time(f.UpdatedAfter)))
	}
	if len(f.Categories) > 0 {
		cs := make([]string, len(f.Categories))
		for i, c := range f.Categories {
			cs[i] = string(c)
		}
		where = append(where, anyOf("category", cs))
	}
	if activeOnly(f.Statuses) {
		where = append(where, activeStatuses)
	} else if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		where = append(where, anyOf("status", ss))
	}
	if f.AfterID != 0 {
		where = append(where, "id > "+arg(f.AfterID))
	}
	q.where = where
	return q
}
