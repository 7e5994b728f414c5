package chat

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Inbox takes inbound events off a platform's reader. The reader records
// an event (one insert) and acknowledges it; the Inbox claims recorded
// events and runs their handlers on the bounded workers. So an
// acknowledgement never waits for a free worker, a slow core or a
// rate-limited reply; a crash after the acknowledgement loses nothing (a
// restart handles what was recorded and not handled); and a redelivery is
// recognised by its key. Events of one lane are handled in the order they
// were recorded.
type Inbox struct {
	store tickets.Inbox
	pool  interface {
		Submit(ctx context.Context, fn func(ctx context.Context)) error
	}
	now         func() time.Time
	log         *slog.Logger
	lease       time.Duration
	poll        time.Duration
	batch       int
	maxAttempts int
	handlers    map[string]func(ctx context.Context, payload []byte)
	wake        chan struct{}

	mu      sync.Mutex
	running map[int64]bool // claimed here, not finished
	waiting map[int64]bool // recorded here, not finished
}

// InboxOptions tune an Inbox; zero values take the defaults.
type InboxOptions struct {
	// Lease is how long a claimed event is a worker's before another
	// claim may take it (after a crash); default a minute. It must exceed
	// a handler's longest run (the workers' timeout) plus ReplyTimeout:
	// an event is finished only once the replies it queued are out.
	Lease time.Duration
	// Poll is how often the store is asked for events recorded elsewhere
	// (another replica) or whose claim ran out; default 2 s.
	Poll time.Duration
	// MaxAttempts gives up an event claimed that many times (its handler
	// kept dying with the process); default 5.
	MaxAttempts int
	Now         func() time.Time
	Logger      *slog.Logger
}

// NewInbox builds an Inbox on store, running handlers on pool.
func NewInbox(store tickets.Inbox, pool interface {
	Submit(ctx context.Context, fn func(ctx context.Context)) error
}, o InboxOptions) *Inbox {
	in := &Inbox{store: store, pool: pool, now: o.Now, log: o.Logger, lease: o.Lease, poll: o.Poll, batch: 64,
		maxAttempts: o.MaxAttempts, handlers: map[string]func(context.Context, []byte){},
		wake: make(chan struct{}, 1), running: map[int64]bool{}, waiting: map[int64]bool{}}
	if in.now == nil {
		in.now = time.Now
	}
	if in.log == nil {
		in.log = slog.New(slog.DiscardHandler)
	}
	if in.lease <= 0 {
		in.lease = time.Minute
	}
	if in.poll <= 0 {
		in.poll = 2 * time.Second
	}
	if in.maxAttempts <= 0 {
		in.maxAttempts = 5
	}
	return in
}

// Handle sets the handler of events of kind. Adapters set theirs when
// they are built, before Run.
func (in *Inbox) Handle(kind string, fn func(ctx context.Context, payload []byte)) {
	in.handlers[kind] = fn
}

// Record writes e durably before the platform is acknowledged; first is
// false for a redelivery, which needs nothing more than the
// acknowledgement. An error means the event is not recorded: the caller
// must not acknowledge it where the platform redelivers, and say so where
// it does not.
func (in *Inbox) Record(ctx context.Context, e *tickets.InboundEvent) (first bool, err error) {
	if e.Received.IsZero() {
		e.Received = in.now()
	}
	first, err = in.store.RecordInbound(ctx, e)
	if err != nil {
		return false, fmt.Errorf("inbox: %w", err)
	}
	if first {
		in.mu.Lock()
		in.waiting[e.ID] = true
		in.mu.Unlock()
		in.Wake()
	}
	return first, nil
}

// Settled reports whether every event recorded here was handled: tests
// wait for it before they look at what the handling did.
func (in *Inbox) Settled() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.waiting) == 0 && len(in.running) == 0
}

// Wait returns once no event claimed here is still being handled or
// waiting for its replies to go out, or with ctx's error. It is for
// shutdown, after the workers are closed and before the store is: an
// event whose answer went out is then recorded handled, where otherwise
// the next run would handle it again and post the answer it kept a second
// time.
func (in *Inbox) Wait(ctx context.Context) error {
	for {
		in.mu.Lock()
		n := len(in.running)
		in.mu.Unlock()
		if n == 0 {
			return nil
		}
		if err := Sleep(ctx, 5*time.Millisecond); err != nil {
			return fmt.Errorf("inbox: %d events still being handled: %w", n, err)
		}
	}
}

// Wake makes Run look for events at once.
func (in *Inbox) Wake() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// Run claims recorded events and hands them to the workers until ctx
// ends; events recorded before a restart come first.
func (in *Inbox) Run(ctx context.Context) {
	t := time.NewTicker(in.poll)
	defer t.Stop()
	for {
		in.drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-in.wake:
		case <-t.C:
		}
	}
}

// drain claims and submits events until none is left to claim. Submit
// blocks while every worker is busy: the wait is here, never on a reader.
func (in *Inbox) drain(ctx context.Context) {
	for ctx.Err() == nil {
		now := in.now()
		es, err := in.store.ClaimInbound(ctx, now, now.Add(in.lease), in.batch)
		if err != nil {
			if ctx.Err() == nil {
				in.log.Error("inbox: claim failed; trying again", "err", err)
			}
			return
		}
		if len(es) == 0 {
			return
		}
		for n, e := range es {
			if ctx.Err() != nil {
				in.release(es[n:])
				return
			}
			if !in.start(e) {
				continue
			}
			fn := in.handlers[e.Kind]
			switch {
			case fn == nil:
				in.log.Error("inbox: no handler for the event's kind; dropped", "kind", e.Kind, "key", e.Key)
				in.finish(ctx, e)
				continue
			case e.Attempts > in.maxAttempts:
				in.log.Error("inbox: event given up after its handler died repeatedly", "kind", e.Kind, "key", e.Key, "attempts", e.Attempts)
				in.finish(ctx, e)
				continue
			case e.Attempts > 1:
				in.log.Warn("inbox: handling an event again (a crash or a handler past its lease)", "kind", e.Kind, "key", e.Key, "attempt", e.Attempts)
			}
			err := in.pool.Submit(ctx, func(ctx context.Context) {
				// The event is recorded handled once the handler has
				// returned and the replies it queued are posted or in
				// the outbox (Hold): a crash before that handles it
				// again, and the desk answers again what it answered.
				hctx, release := withHandling(ctx, e.Attempts > 1, func() { in.finish(context.WithoutCancel(ctx), e) })
				// Deferred, so a handler that panics (the workers
				// recover) is not run again and again.
				defer release()
				fn(hctx, e.Payload)
			})
			if err != nil {
				// Stopping: what this process claimed and never started
				// is given back, for the next run to take at once.
				in.done(e)
				in.release(es[n:])
				return
			}
		}
	}
}

// release gives back the claims on es, never started here. One that
// cannot be given back is taken again when its claim runs out.
func (in *Inbox) release(es []*tickets.InboundEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, e := range es {
		if err := in.store.ReleaseInbound(ctx, e.ID); err != nil {
			in.log.Warn("inbox: claim not given back; the event waits for it to run out", "key", e.Key, "err", err)
		}
	}
}

// start marks e as running here; false when it already is (its lease ran
// out while its handler still ran, and the claim came back to us).
func (in *Inbox) start(e *tickets.InboundEvent) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.running[e.ID] {
		return false
	}
	in.running[e.ID] = true
	return true
}

func (in *Inbox) done(e *tickets.InboundEvent) {
	in.mu.Lock()
	delete(in.running, e.ID)
	in.mu.Unlock()
}

// handled forgets e among the events recorded here.
func (in *Inbox) handled(e *tickets.InboundEvent) {
	in.mu.Lock()
	delete(in.waiting, e.ID)
	in.mu.Unlock()
}

// finish records e handled and wakes Run for the next event of its lane.
func (in *Inbox) finish(ctx context.Context, e *tickets.InboundEvent) {
	defer in.Wake()
	defer in.handled(e)
	defer in.done(e)
	if err := in.store.FinishInbound(ctx, e.ID, in.now()); err != nil {
		// Its claim runs out and it is handled again; the core's record
		// of seen events keeps that from acting twice.
		in.log.Error("inbox: event handled but not recorded as handled", "key", e.Key, "err", err)
	}
}
