package bot

import "github.com/helpdesk-bot/helpdesk/tickets"

// Message is one chat message to the bot, already stripped of platform detail
// by an adapter.
type Message struct {
	// EventID is the platform's ID for the inbound event; a redelivered event
	// with the same ID is handled once. Empty when the platform has none.
	EventID   string
	Platform  string
	ChannelID string
	ThreadID  string
	User      tickets.Person
	Text      string
	DM        bool
}

// Action is a button press or form submission.
type Action struct {
	EventID   string
	Platform  string
	ChannelID string
	ThreadID  string
	User      tickets.Person
	// Name is the button's action, one of the Action* constants.
	Name   string
	Value  string
	Fields map[string]string // form fields, for modal submissions
}

// Button actions the core understands.
const (
	ActionKBFixed    = "kb_fixed"
	ActionKBNotFixed = "kb_not_fixed"
	ActionClaim      = "claim"
	ActionReply      = "reply"
	ActionNote       = "note"
	ActionPending    = "pending"
	ActionResolve    = "resolve"
	ActionReopen     = "reopen"
	ActionEscalate   = "escalate"
)

// Reply is a message back to the sender, in the place they wrote from.
type Reply struct {
	Text    string
	Buttons []tickets.Button
	// Ephemeral replies are shown only to the sender where the platform can.
	Ephemeral bool
}

func (m Message) place() tickets.Place {
	return tickets.Place{Platform: m.Platform, ChannelID: m.ChannelID, ThreadID: m.ThreadID}
}

// conversationKey identifies the intake conversation of a user in a place:
// the same person can have one report going in a DM and another in a thread.
func conversationKey(p tickets.Place, u tickets.Person) string {
	return p.Platform + "|" + p.ChannelID + "|" + p.ThreadID + "|" + u.UserID
}
