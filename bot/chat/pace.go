package chat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a platform's published limit for one kind of call: PerSecond on
// average, Burst at once. The zero Rate does not limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// PaceKey names one bucket: a class of limit ("channel", "tier3") and
// what it is counted for (the channel ID, the method).
type PaceKey struct{ Class, ID string }

// Pacer spaces a platform's outbound calls so they stay under its
// published rate limits, rather than sending until the platform answers
// 429 and then waiting out its Retry-After: one token bucket per key, each
// with its class's Rate. Calls wait their turn in the adapter's sending
// goroutines, never on a worker that handles events.
type Pacer struct {
	classes map[string]Rate
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	sweepAt int // bucket count at which idle buckets are dropped
}

// minSweep is the number of buckets kept before idle ones are dropped.
const minSweep = 4096

// NewPacer paces calls by classes (class → Rate). now and sleep are the
// clock (nil: the real one).
func NewPacer(classes map[string]Rate, now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) *Pacer {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = Sleep
	}
	return &Pacer{classes: classes, now: now, sleep: sleep, buckets: map[string]*rate.Limiter{}, sweepAt: minSweep}
}

// Wait takes a turn in the bucket of every key and returns when all of
// them allow the call, or with ctx's error (the turns are given back). A
// turn further off than ctx's deadline is not waited for: Wait gives it
// back at once and returns a RetryError saying when to come back, so the
// outbox retries then instead of holding a sender. A key whose class has
// no Rate costs nothing; a nil Pacer never waits.
func (p *Pacer) Wait(ctx context.Context, keys ...PaceKey) error {
	if p == nil {
		return nil
	}
	now := p.now()
	var (
		held  []*rate.Reservation
		delay time.Duration
	)
	p.mu.Lock()
	for _, k := range keys {
		r, ok := p.classes[k.Class]
		if !ok || r.PerSecond <= 0 {
			continue
		}
		res := p.bucket(k, r, now).ReserveN(now, 1)
		held = append(held, res)
		delay = max(delay, res.DelayFrom(now))
	}
	p.mu.Unlock()
	if delay <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(delay).After(dl) {
		p.cancel(held)
		return RetryAfter(errPaced, delay)
	}
	if err := p.sleep(ctx, delay); err != nil {
		p.cancel(held)
		return fmt.Errorf("pace: %w", err)
	}
	return nil
}

// errPaced is a call the platform's limit does not allow before its
// deadline.
var errPaced = errors.New("pace: the platform's rate limit allows this call only after its deadline")

// cancel gives turns back.
func (p *Pacer) cancel(held []*rate.Reservation) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, res := range held {
		res.CancelAt(now)
	}
}

// bucket is k's bucket, made on first use; p.mu is held. Buckets full
// again (idle for a while) are dropped when there are many, so a desk
// posting to thousands of DMs keeps a bounded map.
func (p *Pacer) bucket(k PaceKey, r Rate, now time.Time) *rate.Limiter {
	name := k.Class + "\x00" + k.ID
	if b, ok := p.buckets[name]; ok {
		return b
	}
	if len(p.buckets) >= p.sweepAt {
		for n, b := range p.buckets {
			if b.TokensAt(now) >= float64(b.Burst()) {
				delete(p.buckets, n)
			}
		}
		p.sweepAt = max(minSweep, 2*len(p.buckets))
	}
	b := rate.NewLimiter(rate.Limit(r.PerSecond), max(r.Burst, 1))
	p.buckets[name] = b
	return b
}

// Sleep waits d, or until ctx ends with its error: the real clock's sleep
// for Pacer and anyone who waits on a schedule.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
