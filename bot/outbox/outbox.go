// Package outbox delivers the messages the desk queues for people other
// than the sender — a requester told of an agent's reply, the triage
// channel told of a new ticket, every scheduled message. They are written
// to the store's outbox in the same transaction as the change that caused
// them; a Dispatcher claims each, sends it through the platform's
// chat.Sender with retries and backoff, keeps the order of each lane, and
// marks it sent only once the platform has it. A crash in between re-sends
// at most the one message in flight.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Store is the part of the ticket store the dispatcher works on.
type Store interface {
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]*tickets.OutboxMessage, error)
	LaneOutbox(ctx context.Context, lane string, afterID int64, limit int) ([]*tickets.OutboxMessage, error)
	OutboxMessage(ctx context.Context, key string) (*tickets.OutboxMessage, error)
	ClaimOutbox(ctx context.Context, id int64, now, until time.Time) (claimed bool, err error)
	MarkSent(ctx context.Context, id int64, at time.Time, ref string) error
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error
	MarkDead(ctx context.Context, id int64, errText string, at time.Time) error
}

// Stats counts the dispatcher's work, for metrics.
type Stats struct {
	Sent    atomic.Int64 // messages the platform accepted
	Retried atomic.Int64 // failed attempts that will be tried again
	GivenUp atomic.Int64 // messages given up (an admin lists them with /outbox)
	Merged  atomic.Int64 // messages merged into another post or superseded by a later edit
	// failed counts failed attempts (retried or given up) by platform:
	// string to *atomic.Int64.
	failed sync.Map
}

// fail counts a failed delivery attempt to platform.
func (s *Stats) fail(platform string) {
	c, _ := s.failed.LoadOrStore(platform, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

// FailedByPlatform returns the failed delivery attempts so far, retried or
// given up, by platform.
func (s *Stats) FailedByPlatform() map[string]int64 {
	out := map[string]int64{}
	s.failed.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// Dispatcher delivers the outbox. A message is marked sent only after its
// platform accepted it, so a crash in between re-sends it at most once more.
type Dispatcher struct {
	Store   Store
	Senders map[string]chat.Sender // by platform name
	Now     func() time.Time
	Log     *slog.Logger
	// Poll is how often to look for due messages when not woken.
	Poll time.Duration
	// MaxBackoff caps the wait between attempts.
	MaxBackoff time.Duration
	// Lease is how long a claimed message is reserved for this dispatcher
	// before another may try it; longer than any one send takes.
	Lease time.Duration
	// GiveUp is how long after it was queued a failing message is given up
	// (marked dead and logged as an error) so it stops holding its lane.
	GiveUp time.Duration
	// Stats counts deliveries, for metrics.
	Stats Stats
	// Concurrency is how many lanes are delivered to at once (each lane
	// still in order): a platform's round trip, a pacing wait or a
	// Retry-After in one conversation holds up no other. 0 means
	// DefaultConcurrency.
	Concurrency int

	wake chan struct{}
	// passes serialises DeliverDue, so a caller that needs what is due
	// sent when it returns (the console, between two typed lines) also
	// waits for a pass Run has under way.
	passes sync.Mutex
}

// DefaultConcurrency is how many lanes a Dispatcher delivers to at once
// when Concurrency is 0.
const DefaultConcurrency = 32

// DefaultGiveUp is New's GiveUp: how long a failing message is retried
// before it is given up.
const DefaultGiveUp = 24 * time.Hour

// New builds a Dispatcher with sensible defaults.
func New(store Store, senders map[string]chat.Sender, now func() time.Time, log *slog.Logger) *Dispatcher {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{Store: store, Senders: senders, Now: now, Log: log, Poll: 2 * time.Second, MaxBackoff: 10 * time.Minute, GiveUp: DefaultGiveUp, Lease: 20 * time.Second, wake: make(chan struct{}, 1)}
}

// lease is Lease, or 20 s when unset: ten seconds for a send, and a
// message whose sender died mid-send (a crash) is tried again soon after.
func (d *Dispatcher) lease() time.Duration {
	if d.Lease <= 0 {
		return 20 * time.Second
	}
	return d.Lease
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
// Calls run one at a time.
// The store gives at most one message per lane (the first waiting), so
// the messages of a batch go out side by side, Concurrency at a time.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	d.passes.Lock()
	defer d.passes.Unlock()
	sent := 0
	for {
		msgs, err := d.Store.DueOutbox(ctx, d.Now(), d.batch())
		if err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
		// Messages that edit or thread under another go after the rest
		// of the batch, which may hold the message they name.
		var plain, referring []*tickets.OutboxMessage
		for _, m := range msgs {
			if m.Edit != "" || m.Thread != "" {
				referring = append(referring, m)
			} else {
				plain = append(plain, m)
			}
		}
		progress := false
		for _, part := range [][]*tickets.OutboxMessage{plain, referring} {
			n, done, err := d.deliverAll(ctx, part)
			sent += n
			progress = progress || done
			if err != nil {
				return sent, err
			}
		}
		// A message sent may have freed the next one of its lane: look
		// again until a pass sends nothing.
		if !progress {
			return sent, nil
		}
	}
}

// batch is how many due messages one pass takes: enough to keep every
// sender busy.
func (d *Dispatcher) batch() int { return max(50, 2*d.concurrency()) }

func (d *Dispatcher) concurrency() int {
	if d.Concurrency <= 0 {
		return DefaultConcurrency
	}
	return d.Concurrency
}

// deliverAll claims and delivers msgs, each of its own lane, concurrently.
// progress is true when one of them was finished with (sent or given up).
func (d *Dispatcher) deliverAll(ctx context.Context, msgs []*tickets.OutboxMessage) (sent int, progress bool, err error) {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
		slots = make(chan struct{}, d.concurrency())
	)
	for _, m := range msgs {
		if ctx.Err() != nil {
			break // stopping: leave the rest unclaimed
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			ok, done, err := d.claimAndDeliver(ctx, m)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				sent++
			}
			progress = progress || done
			if err != nil && first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return sent, progress, first
}

// claimAndDeliver claims m and makes one attempt at it. err is only for
// what stops the pass: a claim the store could not write, or shutdown.
func (d *Dispatcher) claimAndDeliver(ctx context.Context, m *tickets.OutboxMessage) (sent, done bool, err error) {
	// Claim it first: another dispatcher (a replica, or a second run in
	// this process) may be sending it right now. Not cancellable midway:
	// a claim written but reported as failed would hide the message until
	// the lease ran out.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	until := d.Now().Add(d.lease())
	claimed, err := d.Store.ClaimOutbox(cctx, m.ID, d.Now(), until)
	cancel()
	if err != nil {
		return false, false, fmt.Errorf("outbox: %w", err)
	}
	if !claimed {
		return false, false, nil
	}
	// A burst about one card behind m goes out as one post and one edit.
	run, berr := d.burst(ctx, m)
	if berr != nil {
		d.Log.Warn("outbox: sending without merging", "id", m.ID, "err", berr)
	}
	if len(run) > 1 {
		done, err = d.deliverBurst(ctx, run, until)
	} else {
		done, err = d.deliver(ctx, m, until)
	}
	if ctx.Err() != nil {
		return false, false, ctx.Err()
	}
	// A failed attempt was logged and is tried again later: it does not
	// stop the other lanes.
	return err == nil, done, nil
}

// errNotYet is a message waiting for the one it edits or threads under.
var errNotYet = errors.New("waiting for the message it refers to")

// deliver makes one attempt at m, claimed until until. done is true when m
// is finished with, sent or given up.
func (d *Dispatcher) deliver(ctx context.Context, m *tickets.OutboxMessage, until time.Time) (done bool, err error) {
	s, ok := d.Senders[m.To.Platform]
	var ref string
	if !ok {
		err = chat.Permanent(fmt.Errorf("no adapter for platform %q is configured", m.To.Platform))
	} else {
		// One send may not outlive its claim, or another dispatcher could
		// take the message and send it too.
		sctx, cancel := context.WithTimeout(ctx, d.lease()/2)
		var dl chat.Delivery
		dl, err = d.resolve(sctx, m)
		if err == nil {
			ref, err = s.Send(sctx, dl)
		}
		cancel()
	}
	if err != nil && ctx.Err() != nil {
		// Shutdown interrupted the attempt: no failure of the message.
		// Release the claim so the final flush, or the next start, sends
		// it at once.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if rerr := d.Store.MarkFailed(rctx, m.ID, "interrupted by shutdown", m.NextAttempt); rerr != nil {
			return false, fmt.Errorf("release: %w", rerr)
		}
		return false, err
	}
	// Once the platform has the message, record it even if shutdown has
	// begun: an unrecorded send is sent again on the next start.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err == nil {
		if err := d.recordSent(m, until, ref); err != nil {
			return false, err
		}
		d.Stats.Sent.Add(1)
		return true, nil
	}
	now := d.Now()
	if !errors.Is(err, errNotYet) { // waiting for an earlier message is no failure
		d.Stats.fail(m.To.Platform)
	}
	if chat.IsPermanent(err) || (d.GiveUp > 0 && now.Sub(m.Created) >= d.GiveUp) {
		d.Log.Error("outbox delivery given up", "id", m.ID, "key", m.Key, "platform", m.To.Platform, "attempts", m.Attempts+1, "err", err)
		if merr := d.Store.MarkDead(ctx, m.ID, err.Error(), now); merr != nil {
			return false, fmt.Errorf("mark dead: %w", merr)
		}
		d.Stats.GivenUp.Add(1)
		return true, err
	}
	backoff, ok := chat.RetryDelay(err)
	if !ok {
		backoff = min(time.Second<<min(m.Attempts, 20), d.MaxBackoff)
	}
	if errors.Is(err, errNotYet) {
		backoff = time.Second
	}
	d.Log.Warn("outbox delivery failed", "id", m.ID, "key", m.Key, "platform", m.To.Platform, "attempt", m.Attempts+1, "retry_in", backoff, "err", err)
	if merr := d.Store.MarkFailed(ctx, m.ID, err.Error(), now.Add(backoff)); merr != nil {
		return false, fmt.Errorf("mark failed: %w", merr)
	}
	d.Stats.Retried.Add(1)
	return false, err
}

// resolve looks up the platform references of the messages m edits or
// threads under. One not sent yet delays m; one given up sends m as a new
// message rather than losing it.
func (d *Dispatcher) resolve(ctx context.Context, m *tickets.OutboxMessage) (chat.Delivery, error) {
	dl := chat.Delivery{Msg: m}
	for _, r := range []struct {
		key string
		ref *string
	}{{m.Edit, &dl.EditRef}, {m.Thread, &dl.ThreadRef}} {
		if r.key == "" {
			continue
		}
		target, err := d.Store.OutboxMessage(ctx, r.key)
		if tickets.ErrorCode(err) == tickets.ENOTFOUND {
			continue
		} else if err != nil {
			return dl, err
		}
		switch {
		case !target.SentAt.IsZero():
			*r.ref = target.Ref
		case target.DeadAt.IsZero():
			return dl, errNotYet
		}
	}
	return dl, nil
}

// recordSent marks m sent once the platform has it, trying again while
// m's claim (until) holds: a record that fails for good (the database
// restarting) means another dispatcher sends m again when the claim runs
// out, a duplicate said so in the log. The wait is in real time, as the
// claim runs out in the database's.
func (d *Dispatcher) recordSent(m *tickets.OutboxMessage, until time.Time, ref string) error {
	deadline := time.Now().Add(until.Sub(d.Now()))
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		err := d.Store.MarkSent(ctx, m.ID, d.Now(), ref)
		cancel()
		if err == nil {
			if attempt > 1 {
				d.Log.Info("outbox message recorded as sent after retries", "id", m.ID, "key", m.Key, "attempts", attempt)
			}
			return nil
		}
		if time.Until(deadline) <= wait {
			d.Log.Error("outbox message sent but not recorded as sent; it will be sent again when its claim runs out", "id", m.ID, "key", m.Key, "platform", m.To.Platform, "attempts", attempt, "err", err)
			return fmt.Errorf("mark sent: %w", err)
		}
		d.Log.Warn("outbox message sent, recording it failed; trying again", "id", m.ID, "key", m.Key, "attempt", attempt, "retry_in", wait, "err", err)
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}
