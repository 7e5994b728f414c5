package tickets

import "time"

// OutboxMessage is a message to someone other than the sender of the event
// that caused it. It is written in the same transaction as that change and
// delivered by a dispatcher, so a crash loses nothing and, thanks to the
// unique Key, nothing is sent twice.
type OutboxMessage struct {
	ID       int64
	Key      string // idempotency key, unique: e.g. "ticket:42:created:triage"
	To       Place
	UserID   string // recipient for a direct message when To has no channel
	TicketID int64
	Text     string
	Buttons  []Button
	// Mentions are the platform user IDs the message mentions where it is
	// posted, so they are notified there.
	Mentions []string
	// Edit is the Key of an earlier message this one replaces in place (a
	// ticket's triage card as the ticket changes); Thread is the Key of an
	// earlier message to answer in the thread of. The dispatcher holds such
	// a message until the one it names has been sent.
	Edit   string
	Thread string
	// Ref is the platform's reference to the message once sent (for Slack
	// "channel:ts"), so later messages can edit it or thread under it.
	Ref string
	// Created, Attempts, NextAttempt, SentAt and LastError are kept by the store.
	Created     time.Time
	Attempts    int
	NextAttempt time.Time
	SentAt      time.Time
	LastError   string
	// DeadAt is when the dispatcher gave up on the message; it is kept, and
	// shown to admins, but no longer blocks its lane.
	DeadAt time.Time
}

// Lane is the conversation a message belongs to: messages in one lane are
// delivered in the order they were queued.
func (m *OutboxMessage) Lane() string {
	if m.To.ChannelID == "" {
		return m.To.Platform + "|@" + m.UserID
	}
	return m.To.Platform + "|" + m.To.ChannelID
}

// Button is an action a message offers; adapters render it natively.
type Button struct {
	Label  string `json:"label"`
	Action string `json:"action"`
	Value  string `json:"value,omitempty"`
}
