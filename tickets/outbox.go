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
	// Created, Attempts, NextAttempt, SentAt and LastError are kept by the store.
	Created     time.Time
	Attempts    int
	NextAttempt time.Time
	SentAt      time.Time
	LastError   string
}

// Button is an action a message offers; adapters render it natively.
type Button struct {
	Label  string `json:"label"`
	Action string `json:"action"`
	Value  string `json:"value,omitempty"`
}
