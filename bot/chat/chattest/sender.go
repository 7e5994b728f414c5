// Package chattest is a fake chat platform for tests: a chat.Sender that
// records what it delivers and answers as the test tells it.
package chattest

import (
	"context"
	"sync"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Sender is a chat.Sender that records every delivery. Fail, when set,
// decides per delivery: a non-nil error is returned and nothing is
// recorded, as a platform that refused the call.
type Sender struct {
	Fail func(d chat.Delivery) error

	mu   sync.Mutex
	sent []chat.Delivery
}

// Send records d and returns "ref:KEY" as the platform's reference.
func (s *Sender) Send(_ context.Context, d chat.Delivery) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Fail != nil {
		if err := s.Fail(d); err != nil {
			return "", err
		}
	}
	s.sent = append(s.sent, d)
	return "ref:" + d.Msg.Key, nil
}

// Sent returns the deliveries so far, oldest first.
func (s *Sender) Sent() []chat.Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chat.Delivery(nil), s.sent...)
}

// Keys returns the outbox keys of the deliveries so far, oldest first.
func (s *Sender) Keys() []string {
	var keys []string
	for _, d := range s.Sent() {
		keys = append(keys, d.Msg.Key)
	}
	return keys
}
