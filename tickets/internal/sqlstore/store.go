package sqlstore

import (
	"context"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Store implements every method of tickets.Store and kb.Store but InTx and
// Close, which a store on a database adds by embedding it: the methods of
// tickets.Tx run on read when they only read and in a transaction of their
// own (through InTx) when they write; the Store's own statements each run
// on their own, reads on read and writes on write.
type Store struct {
	d      *Dialect
	read   Querier
	write  Querier
	reader *Tx // the Tx methods that only read, on read
	writer *Tx // CountUse on its own, on write
	inTx   func(ctx context.Context, fn func(tickets.Tx) error) error
}

// NewStore returns the shared methods of a store: read serves reads
// outside transactions, write runs single-statement writes outside them,
// and inTx is the store's InTx.
func NewStore(d *Dialect, read, write Querier, inTx func(ctx context.Context, fn func(tickets.Tx) error) error) Store {
	return Store{d: d, read: read, write: write, reader: NewTx(d, read), writer: NewTx(d, write), inTx: inTx}
}

// inOwnTx runs a Tx method that returns a result in its own transaction.
func inOwnTx[T any](ctx context.Context, s *Store, fn func(tickets.Tx) (T, error)) (v T, err error) {
	err = s.inTx(ctx, func(tx tickets.Tx) error {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Ticket returns the ticket with id, or an ENOTFOUND error.
func (s *Store) Ticket(ctx context.Context, id int64) (*tickets.Ticket, error) {
	return s.reader.Ticket(ctx, id)
}

// CreateTicket stores a new ticket in its own transaction and sets its ID.
func (s *Store) CreateTicket(ctx context.Context, t *tickets.Ticket) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.CreateTicket(ctx, t) })
}

// UpdateTicket stores every field of an existing ticket in its own transaction.
func (s *Store) UpdateTicket(ctx context.Context, t *tickets.Ticket) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.UpdateTicket(ctx, t) })
}

// FindTickets returns tickets matching f, newest first.
func (s *Store) FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return s.reader.FindTickets(ctx, f)
}

// FindReports returns the tickets f matches, each read only as far as
// comparing reports needs (see tickets.Tx).
func (s *Store) FindReports(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return s.reader.FindReports(ctx, f)
}

// CountTickets returns how many tickets match f.
func (s *Store) CountTickets(ctx context.Context, f tickets.TicketFilter) (int, error) {
	return s.reader.CountTickets(ctx, f)
}

// AddEvent appends an audit event in its own transaction and sets its ID.
func (s *Store) AddEvent(ctx context.Context, e *tickets.Event) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.AddEvent(ctx, e) })
}

// MoveEvent moves event id to ticket to.
func (s *Store) MoveEvent(ctx context.Context, id, to int64) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.MoveEvent(ctx, id, to) })
}

// Events returns a ticket's audit events, oldest first.
func (s *Store) Events(ctx context.Context, ticketID int64) ([]*tickets.Event, error) {
	return s.reader.Events(ctx, ticketID)
}

// LastEventID returns the ID of the event last added to a ticket, 0 when
// it has none.
func (s *Store) LastEventID(ctx context.Context, ticketID int64) (int64, error) {
	return s.reader.LastEventID(ctx, ticketID)
}

// LatestEvent returns the event of kind last added to a ticket, or an
// ENOTFOUND error.
func (s *Store) LatestEvent(ctx context.Context, ticketID int64, kind tickets.EventKind) (*tickets.Event, error) {
	return s.reader.LatestEvent(ctx, ticketID, kind)
}

// Conversation returns the conversation with key, or an ENOTFOUND error.
func (s *Store) Conversation(ctx context.Context, key string) (*tickets.Conversation, error) {
	return s.reader.Conversation(ctx, key)
}

// SaveConversation creates or replaces a conversation in its own transaction.
func (s *Store) SaveConversation(ctx context.Context, c *tickets.Conversation) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.SaveConversation(ctx, c) })
}

// DeleteConversation removes a conversation in its own transaction.
func (s *Store) DeleteConversation(ctx context.Context, key string) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.DeleteConversation(ctx, key) })
}

// Enqueue adds an outbox message in its own transaction.
func (s *Store) Enqueue(ctx context.Context, m *tickets.OutboxMessage) (added bool, err error) {
	return inOwnTx(ctx, s, func(tx tickets.Tx) (bool, error) { return tx.Enqueue(ctx, m) })
}

// RecordSelfService stores a report solved without a ticket in its own
// transaction.
func (s *Store) RecordSelfService(ctx context.Context, ss *tickets.SelfService) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.RecordSelfService(ctx, ss) })
}

// SetTimers replaces ticket id's timers in its own transaction.
func (s *Store) SetTimers(ctx context.Context, ticketID int64, ts []tickets.Timer) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.SetTimers(ctx, ticketID, ts) })
}

// TakeTimer removes timer id in its own transaction.
func (s *Store) TakeTimer(ctx context.Context, id int64) (taken bool, err error) {
	return inOwnTx(ctx, s, func(tx tickets.Tx) (bool, error) { return tx.TakeTimer(ctx, id) })
}

// SeenEvent records an inbound platform event ID in its own transaction and
// reports whether it was new.
func (s *Store) SeenEvent(ctx context.Context, id string, at time.Time) (first bool, err error) {
	return inOwnTx(ctx, s, func(tx tickets.Tx) (bool, error) { return tx.SeenEvent(ctx, id, at) })
}

// SetEventReplies keeps replies with the seen event id in its own
// transaction.
func (s *Store) SetEventReplies(ctx context.Context, id string, replies []byte) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.SetEventReplies(ctx, id, replies) })
}

// EventReplies returns the replies kept with the seen event id.
func (s *Store) EventReplies(ctx context.Context, id string) ([]byte, error) {
	return inOwnTx(ctx, s, func(tx tickets.Tx) ([]byte, error) { return tx.EventReplies(ctx, id) })
}

// ForgetEvents drops the seen-event records older than before.
func (s *Store) ForgetEvents(ctx context.Context, before time.Time) (int, error) {
	n, err := s.write.Exec(ctx, `DELETE FROM seen_events WHERE at < $1`, s.d.Time(before))
	if err != nil {
		return 0, s.d.wrap("forget events", err)
	}
	m, err := s.ForgetInbound(ctx, before)
	return int(n + m), err
}

// SelfServices returns reports solved by an article at or after since,
// oldest first.
func (s *Store) SelfServices(ctx context.Context, since time.Time) ([]*tickets.SelfService, error) {
	return queryAll(ctx, s.read, s.d, "self services", scanSelfService, `SELECT id, requester_platform,
		requester_user_id, requester_name, requester_contact, category, summary, article_id, offered, at
		FROM self_service WHERE at >= $1 ORDER BY at, id`, s.d.Time(since))
}

// The Store and its transactions implement the domain interfaces, but for
// InTx and Close, which each store adds.
var _ tickets.Tx = (*Tx)(nil)

// Macros returns the macros added in chat, by name.
func (s *Store) Macros(ctx context.Context) ([]*tickets.Macro, error) { return s.reader.Macros(ctx) }

// SaveMacro adds or replaces a macro in its own transaction.
func (s *Store) SaveMacro(ctx context.Context, m *tickets.Macro) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.SaveMacro(ctx, m) })
}

// DeleteMacro removes a macro in its own transaction.
func (s *Store) DeleteMacro(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.DeleteMacro(ctx, name) })
}

// CountMacroUse counts one use of a macro in its own transaction.
func (s *Store) CountMacroUse(ctx context.Context, name string) (n int, err error) {
	err = s.inTx(ctx, func(tx tickets.Tx) error {
		n, err = tx.CountMacroUse(ctx, name)
		return err
	})
	return n, err
}

// MacroUses returns how often each macro was used.
func (s *Store) MacroUses(ctx context.Context) (map[string]int, error) {
	return s.reader.MacroUses(ctx)
}

// LinkPeople links two keys as one person in its own transaction.
func (s *Store) LinkPeople(ctx context.Context, a, b string) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.LinkPeople(ctx, a, b) })
}

// UnlinkPerson takes a key out of its person's links in its own
// transaction.
func (s *Store) UnlinkPerson(ctx context.Context, key string) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.UnlinkPerson(ctx, key) })
}

// LinkedKeys returns the keys linked to key, key itself first.
func (s *Store) LinkedKeys(ctx context.Context, key string) ([]string, error) {
	return s.reader.LinkedKeys(ctx, key)
}
