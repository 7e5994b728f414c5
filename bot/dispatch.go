package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Sender delivers outbox messages on one platform.
type Sender interface {
	Send(ctx context.Context, m *tickets.OutboxMessage) error
}

// Dispatcher delivers the outbox: messages written in the same transaction
// as the change that caused them, sent here with retries. A message is
// marked sent only after its platform accepted it, so a crash in between
// re-sends it at most once more.
type Dispatcher struct {
	Store   tickets.Store
	Senders map[string]Sender // by platform name
	Now     func() time.Time
	Log     *slog.Logger
	// Poll is how often to look for due messages when not woken.
	Poll time.Duration
	// MaxBackoff caps the wait between attempts.
	MaxBackoff time.Duration

	wake chan struct{}
}

// NewDispatcher builds a Dispatcher with sensible defaults.
func NewDispatcher(store tickets.Store, senders map[string]Sender, now func() time.Time, log *slog.Logger) *Dispatcher {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{Store: store, Senders: senders, Now: now, Log: log, Poll: 2 * time.Second, MaxBackoff: 10 * time.Minute, wake: make(chan struct{}, 1)}
}

// Wake asks the dispatcher to look at the outbox now. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due messages until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for {
		if _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// DeliverDue sends every message due now and returns how many were sent.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		msgs, err := d.Store.DueOutbox(ctx, d.Now(), 50)
		if err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
		progress := false
		for _, m := range msgs {
			if err := d.deliver(ctx, m); err != nil {
				if ctx.Err() != nil {
					return sent, ctx.Err()
				}
				continue
			}
			sent++
			progress = true
		}
		if len(msgs) < 50 || !progress {
			return sent, nil
		}
	}
}

func (d *Dispatcher) deliver(ctx context.Context, m *tickets.OutboxMessage) error {
	s, ok := d.Senders[m.To.Platform]
	var err error
	if !ok {
		err = fmt.Errorf("no adapter for platform %q is configured", m.To.Platform)
	} else {
		err = s.Send(ctx, m)
	}
	if err == nil {
		return d.Store.MarkSent(ctx, m.ID, d.Now())
	}
	backoff := time.Second << min(m.Attempts, 20)
	backoff = min(backoff, d.MaxBackoff)
	d.Log.Warn("outbox delivery failed", "id", m.ID, "key", m.Key, "platform", m.To.Platform, "attempt", m.Attempts+1, "retry_in", backoff, "err", err)
	if merr := d.Store.MarkFailed(ctx, m.ID, err.Error(), d.Now().Add(backoff)); merr != nil {
		return fmt.Errorf("mark failed: %w", merr)
	}
	return err
}
