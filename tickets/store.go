package tickets

import (
	"context"
	"time"
)

// Tx is what can be read and written inside one transaction. Every change a
// bot action makes — ticket, audit events, conversation state, outbox
// messages — goes through one Tx so it lands whole or not at all.
type Tx interface {
	// Ticket returns the ticket with id, or an ENOTFOUND error.
	Ticket(ctx context.Context, id int64) (*Ticket, error)
	// CreateTicket stores a new ticket and sets its ID.
	CreateTicket(ctx context.Context, t *Ticket) error
	// UpdateTicket stores every field of an existing ticket.
	UpdateTicket(ctx context.Context, t *Ticket) error
	// FindTickets returns tickets matching f, newest first.
	FindTickets(ctx context.Context, f TicketFilter) ([]*Ticket, error)
	// CountTickets returns how many tickets match f, without a limit.
	CountTickets(ctx context.Context, f TicketFilter) (int, error)
	// FindReports returns the tickets f matches in FindTickets' order, each
	// read only as far as comparing reports needs: ID, Kind, Status,
	// Category, Summary, Major, LinkedTo, CreatedAt and, of Fields, only
	// FieldError, FieldStorm and FieldStormSize (the map is nil when none
	// is set). The
	// storm check reads hundreds for every new report, inside the write
	// transaction, where the whole ticket costs several times as much.
	FindReports(ctx context.Context, f TicketFilter) ([]*Ticket, error)

	// AddEvent appends an audit event and sets its ID.
	AddEvent(ctx context.Context, e *Event) error
	// Events returns a ticket's audit events, oldest first.
	Events(ctx context.Context, ticketID int64) ([]*Event, error)
	// MoveEvent moves event id to ticket to, keeping its time and text: a
	// message added to the wrong ticket goes to the right one. A missing
	// event or ticket is an ENOTFOUND error.
	MoveEvent(ctx context.Context, id, to int64) error
	// LastEventID returns the ID of the event last added to a ticket, 0
	// when it has none. IDs only grow, so it names the ticket's state (in
	// outbox keys) without reading its events, which a major incident has
	// thousands of.
	LastEventID(ctx context.Context, ticketID int64) (int64, error)
	// LatestEvent returns the event of kind last added to a ticket, or an
	// ENOTFOUND error when it has none.
	LatestEvent(ctx context.Context, ticketID int64, kind EventKind) (*Event, error)

	// Conversation returns the conversation with key, or an ENOTFOUND error.
	Conversation(ctx context.Context, key string) (*Conversation, error)
	// SaveConversation creates or replaces a conversation.
	SaveConversation(ctx context.Context, c *Conversation) error
	// DeleteConversation removes a conversation; a missing one is no error.
	DeleteConversation(ctx context.Context, key string) error

	// Enqueue adds an outbox message. A message whose Key is already in the
	// outbox is not added again and added is false. An edit (Edit set)
	// supersedes the earlier edits of the same message that still wait
	// for their first attempt: they are marked sent, unsent.
	Enqueue(ctx context.Context, m *OutboxMessage) (added bool, err error)

	// RecordSelfService stores a report solved without a ticket.
	RecordSelfService(ctx context.Context, s *SelfService) error

	// SetTimers replaces every timer of ticket id with ts (none clears
	// them). Timers come from the ticket's state, so they are rewritten
	// whenever it changes.
	SetTimers(ctx context.Context, ticketID int64, ts []Timer) error
	// TakeTimer removes a due timer for the caller to act on; taken is
	// false when another transaction took it first, so each timer fires
	// once even with several replicas sweeping.
	TakeTimer(ctx context.Context, id int64) (taken bool, err error)

	// SeenEvent records an inbound platform event ID and reports whether it
	// was new, so a redelivered event is handled once.
	SeenEvent(ctx context.Context, id string, at time.Time) (first bool, err error)
	// SetEventReplies keeps, with the seen event id, what handling it
	// answered (opaque bytes, the desk's encoding), in the transaction
	// that recorded it seen: if the process dies before the answer is
	// posted, handling the event again sends the same answer. It returns
	// ENOTFOUND when id was never seen.
	SetEventReplies(ctx context.Context, id string, replies []byte) error
	// EventReplies returns what SetEventReplies kept for the seen event
	// id; nil when nothing was kept or id is not seen.
	EventReplies(ctx context.Context, id string) ([]byte, error)

	// Macros returns the macros added in chat, by name.
	Macros(ctx context.Context) ([]*Macro, error)
	// SaveMacro adds a macro, or replaces the one of the same name.
	SaveMacro(ctx context.Context, m *Macro) error
	// DeleteMacro removes the macro called name, or returns ENOTFOUND.
	DeleteMacro(ctx context.Context, name string) error
	// CountMacroUse counts one use of the macro called name and returns
	// how often it was used.
	CountMacroUse(ctx context.Context, name string) (int, error)
	// MacroUses returns how often each macro was used, by name.
	MacroUses(ctx context.Context) (map[string]int, error)

	// LinkPeople records that keys a and b (Person.Key) are one person,
	// with every key either was linked to before.
	LinkPeople(ctx context.Context, a, b string) error
	// UnlinkPerson takes key out of its person's links, or returns
	// ENOTFOUND when it had none.
	UnlinkPerson(ctx context.Context, key string) error
	// LinkedKeys returns the keys linked to key, key itself first; just
	// key when it has no links.
	LinkedKeys(ctx context.Context, key string) ([]string, error)

	// JobState returns the state a scheduled job saved under name, or an
	// ENOTFOUND error.
	JobState(ctx context.Context, name string) (string, error)
	// SetJobState saves a scheduled job's state under name.
	SetJobState(ctx context.Context, name, value string, at time.Time) error
}

// Store is the persistence of the help desk. Methods of the embedded Tx
// called on the Store itself run in their own transaction.
type Store interface {
	Tx
	Inbox
	// InTx runs fn in one transaction, committed when fn returns nil.
	InTx(ctx context.Context, fn func(tx Tx) error) error

	// DueOutbox returns undelivered, live messages whose next attempt is at
	// or before now and that are first in their lane (no earlier message of
	// the same OutboxMessage.Lane is waiting), oldest first.
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]*OutboxMessage, error)
	// LaneOutbox returns the undelivered, live messages of lane (an
	// OutboxMessage.Lane) queued after message afterID, oldest first, at
	// most limit: the burst behind a lane's head, which the dispatcher may
	// merge into one post.
	LaneOutbox(ctx context.Context, lane string, afterID int64, limit int) ([]*OutboxMessage, error)
	// SelfServices returns reports solved by an article at or after since,
	// oldest first.
	SelfServices(ctx context.Context, since time.Time) ([]*SelfService, error)

	// ForgetEvents drops the record of inbound platform events seen before
	// before (and of inbox events handled before it) and returns how many;
	// platforms redeliver within minutes, so old records only take room.
	ForgetEvents(ctx context.Context, before time.Time) (int, error)

	// PruneOutbox deletes the messages sent or given up before before
	// whose ticket was closed before it too (or that are about no
	// ticket), and returns how many; messages of open tickets stay, their
	// card still edited and their thread still answered.
	PruneOutbox(ctx context.Context, before time.Time) (int, error)

	// DueTimers returns timers due at or before now, earliest first.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]*Timer, error)
	// Timers returns ticket id's timers, earliest first.
	Timers(ctx context.Context, ticketID int64) ([]*Timer, error)

	// OutboxMessage returns the message with key, or an ENOTFOUND error.
	OutboxMessage(ctx context.Context, key string) (*OutboxMessage, error)
	// ClaimOutbox takes message id for delivery until until, if it is
	// still waiting and due at now; claimed is false when another
	// dispatcher (another replica, or a concurrent run) took it first. A
	// claim that is never marked sent expires and the message is due again.
	ClaimOutbox(ctx context.Context, id int64, now, until time.Time) (claimed bool, err error)
	// MarkSent records a delivered message and the platform's reference to it.
	MarkSent(ctx context.Context, id int64, at time.Time, ref string) error
	// MarkFailed records a failed attempt and when to try again.
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error
	// MarkDead records that delivery was given up; the message no longer
	// blocks its lane.
	MarkDead(ctx context.Context, id int64, errText string, at time.Time) error
	// TicketEventsSince returns the events of every ticket changed after
	// since or still active (new, open, pending, escalated), ordered by
	// ticket and then as Events orders them: a period's history in one
	// read, for KPIs.
	TicketEventsSince(ctx context.Context, since time.Time) ([]*Event, error)
	// OutboxBacklog counts the messages waiting for delivery (neither sent
	// nor given up) and says when the oldest of them was queued (zero when
	// none wait), for metrics.
	OutboxBacklog(ctx context.Context) (waiting int, oldest time.Time, err error)
	// DeadOutbox returns given-up messages, newest first, for admins.
	DeadOutbox(ctx context.Context, limit int) ([]*OutboxMessage, error)

	// Close releases the store's resources.
	Close() error
}
