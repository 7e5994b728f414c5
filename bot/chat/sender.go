package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Sender delivers outbox messages on one platform. Adapters implement it;
// the outbox dispatcher calls it.
type Sender interface {
	// Send posts d.Msg and returns the platform's reference to the posted
	// message (for Slack "channel:ts"), which later deliveries get back as
	// EditRef or ThreadRef. Errors wrapped by RetryAfter or Permanent steer
	// the retry; any other error is retried with backoff.
	Send(ctx context.Context, d Delivery) (ref string, err error)
}

// Delivery is one outbox message on its way to a platform, with the
// references it names already resolved.
type Delivery struct {
	Msg *tickets.OutboxMessage
	// EditRef, when set, is the message to replace in place with Msg; the
	// sender returns the same reference.
	EditRef string
	// ThreadRef, when set, is the message whose thread Msg is posted in.
	ThreadRef string
}

// RetryError asks the dispatcher to try again after a set time, as a
// platform's rate limit (HTTP 429 with Retry-After) demands.
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string { return fmt.Sprintf("retry after %s: %v", e.After, e.Err) }
func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter wraps err so the dispatcher waits d before the next attempt.
func RetryAfter(err error, d time.Duration) error { return &RetryError{After: d, Err: err} }

// PermanentError marks a failure that retrying cannot fix (an unknown
// channel, a message the platform refuses): the dispatcher gives up at once
// and records it for admins instead of blocking the conversation.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error { return &PermanentError{Err: err} }

// IsPermanent reports whether err, or one it wraps, is permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// RetryDelay returns the wait a RetryError in err, or one it wraps, asks for.
func RetryDelay(err error) (time.Duration, bool) {
	var r *RetryError
	if errors.As(err, &r) {
		return r.After, true
	}
	return 0, false
}
