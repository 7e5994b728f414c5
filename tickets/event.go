package tickets

import "time"

// EventKind names what an audit event records.
type EventKind string

// The kinds of audit event.
const (
	EventCreated  EventKind = "created"
	EventStatus   EventKind = "status"   // Before/After hold the statuses
	EventAssigned EventKind = "assigned" // Before/After hold the assignees
	EventReply    EventKind = "reply"    // public message from an agent to the requester
	EventNote     EventKind = "note"     // internal note, never shown to the requester
	EventComment  EventKind = "comment"  // message from the requester
	EventField    EventKind = "field"    // Field changed from Before to After
	EventLinked   EventKind = "linked"   // a report was linked to this ticket
	// EventEscalated moves a ticket up: Before/After hold the tiers, Text the
	// handoff note.
	EventEscalated   EventKind = "escalated"
	EventDeescalated EventKind = "deescalated" // back to the owner; Text the note
	EventMerged      EventKind = "merged"      // merged into the ticket in After
	EventMajor       EventKind = "major"       // declared a major incident
	EventUpdate      EventKind = "update"      // status update of a major incident, sent to its reporters
	EventFlag        EventKind = "flag"        // After holds the flag raised
	// EventNotified records a message the desk sent the requester by
	// itself (a status update, a follow-up, a reminder); Field holds the
	// timer kind, Text the message.
	EventNotified EventKind = "notified"
	// EventAlerted records an alert the desk sent its agents by itself (an
	// SLA warning or breach); Field holds the timer kind, After its due
	// time in Unix seconds. Internal, like notes.
	EventAlerted EventKind = "alerted"
	EventRated   EventKind = "rated" // the requester's satisfaction rating in After
)

// Event is one audit record: who changed what on a ticket, when, from what
// to what. Every change to a ticket writes one.
type Event struct {
	ID       int64
	TicketID int64
	At       time.Time
	Actor    string // Person.Key, or "bot"
	Kind     EventKind
	Field    string
	Before   string
	After    string
	Text     string
}

// Public reports whether the requester may see the event.
//
// Handoff notes, de-escalation notes, warning flags, SLA alerts and the
// record of whose reports were linked (other people's names and problems)
// are the desk's internal working and stay hidden like notes.
func (e *Event) Public() bool {
	switch e.Kind {
	case EventNote, EventAssigned, EventEscalated, EventDeescalated, EventFlag, EventAlerted, EventLinked:
		return false
	}
	return true
}
