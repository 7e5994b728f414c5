package tickets

import "time"

// Conversation is the stored state of one intake conversation, keyed by
// where it happens and who is talking. The bot core owns the State encoding;
// the store keeps it opaque so a restart or another replica can continue.
type Conversation struct {
	Key       string
	State     []byte
	UpdatedAt time.Time
}
