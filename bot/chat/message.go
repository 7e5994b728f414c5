// Package chat is what chat adapters and the desk share: the messages,
// button presses and replies that pass between them, the forms and
// commands an adapter renders in its platform's idiom, the Sender an
// adapter delivers queued messages with, and the bounded worker pool
// inbound work runs on. It holds shapes only; what they mean is the desk's
// business (package bot), which adapters never import.
package chat

import "github.com/helpdesk-bot/helpdesk/tickets"

// Message is one chat message to the bot, already stripped of platform
// detail by an adapter.
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

// Place is where the message was written.
func (m Message) Place() tickets.Place {
	return tickets.Place{Platform: m.Platform, ChannelID: m.ChannelID, ThreadID: m.ThreadID}
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

// Message is the action as a message from the same person in the same
// place, with no text.
func (a Action) Message() Message {
	return Message{EventID: a.EventID, Platform: a.Platform, ChannelID: a.ChannelID, ThreadID: a.ThreadID, User: a.User}
}

// The button actions the desk puts on its messages. Adapters render them
// and send a press back as an Action with this Name.
const (
	ActionKBFixed    = "kb_fixed"     // a KB offer fixed the problem; Value is the article number
	ActionKBNotFixed = "kb_not_fixed" // no offered article helped
	ActionClaim      = "claim"
	ActionReply      = "reply"
	ActionNote       = "note"
	ActionPending    = "pending"
	ActionResolve    = "resolve"
	ActionReopen     = "reopen"
	ActionEscalate   = "escalate"
	ActionStillFixed = "still_fixed" // the follow-up after resolution: still fixed
	ActionNotFixed   = "not_fixed"   // the follow-up: broken again, reopen
	ActionRate       = "rate"        // the follow-up's rating; Value is "TICKET:SCORE", 1-5
	ActionMajor      = "major"       // a storm's suggestion: declare ticket Value a major incident
)

// IsKBAnswer reports whether action answers a KB offer, whose buttons an
// adapter takes away once the offer is answered.
func IsKBAnswer(action string) bool {
	return action == ActionKBFixed || action == ActionKBNotFixed
}

// Reply is a message back to the sender, in the place they wrote from.
type Reply struct {
	Text    string
	Buttons []tickets.Button
	// Ephemeral replies are shown only to the sender where the platform can.
	Ephemeral bool
}
