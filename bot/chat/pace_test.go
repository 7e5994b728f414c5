package chat

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeClock is a clock that sleeping moves forward.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.t = c.t.Add(d)
	return nil
}

// TestPacerBurstToOneChannel: a burst of posts to one channel goes out no
// faster than the configured rate — in no window of one second more than
// the burst plus one second's worth — while another channel and a
// class without a limit are not held up by it.
func TestPacerBurstToOneChannel(t *testing.T) {
	for _, c := range []struct {
		name  string
		rate  Rate
		posts int
	}{
		{"slack 1/s burst 3", Rate{PerSecond: 1, Burst: 3}, 20},
		{"discord 5 per 5s", Rate{PerSecond: 1, Burst: 5}, 30},
		{"fast 20/s burst 1", Rate{PerSecond: 20, Burst: 1}, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Unix(1700000000, 0)}
			p := NewPacer(map[string]Rate{"channel": c.rate}, clock.now, clock.sleep)
			ctx := context.Background()
			start := clock.now()
			var at []time.Time
			for range c.posts {
				if err := p.Wait(ctx, PaceKey{"channel", "C1"}, PaceKey{"unlimited", "x"}); err != nil {
					t.Fatal(err)
				}
				at = append(at, clock.now())
			}
			most := c.rate.Burst + int(c.rate.PerSecond)
			for i := range at {
				n := 0
				for j := i; j < len(at) && at[j].Sub(at[i]) < time.Second; j++ {
					n++
				}
				if n > most {
					t.Fatalf("%d posts within one second from %s; the rate allows %d", n, at[i].Sub(start), most)
				}
			}
			// The whole burst took as long as the rate demands, no longer.
			want := time.Duration(float64(c.posts-c.rate.Burst) / c.rate.PerSecond * float64(time.Second))
			if got := at[len(at)-1].Sub(start); got < want-time.Millisecond || got > want+time.Millisecond {
				t.Errorf("the burst took %s; the rate makes it %s", got, want)
			}
			before := clock.now()
			if err := p.Wait(ctx, PaceKey{"channel", "C2"}); err != nil || clock.now() != before {
				t.Errorf("another channel waited %s (err %v); it has its own bucket", clock.now().Sub(before), err)
			}
		})
	}
}

// TestPacerCancelled: a wait given up returns the turn, so the next call
// is not held for a post that never went.
func TestPacerCancelled(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1700000000, 0)}
	p := NewPacer(map[string]Rate{"channel": {PerSecond: 1, Burst: 1}}, clock.now, clock.sleep)
	key := PaceKey{"channel", "C1"}
	if err := p.Wait(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx, key); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait = %v", err)
	}
	start := clock.now()
	if err := p.Wait(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	if got := clock.now().Sub(start); got != time.Second {
		t.Errorf("the next post waited %s; want 1s (one turn, not two)", got)
	}
	var nilPacer *Pacer
	if err := nilPacer.Wait(ctx, key); err != nil {
		t.Errorf("a nil pacer waited: %v", err)
	}
}

// TestPacerDropsIdleBuckets: thousands of DM channels do not grow the map
// without bound once their buckets are full again.
func TestPacerDropsIdleBuckets(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1700000000, 0)}
	p := NewPacer(map[string]Rate{"channel": {PerSecond: 1, Burst: 1}}, clock.now, clock.sleep)
	for i := range 3 * minSweep {
		if err := p.Wait(context.Background(), PaceKey{"channel", string(rune('a'+i%26)) + time.Duration(i).String()}); err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(time.Millisecond)
	}
	if n := len(p.buckets); n > 2*minSweep {
		t.Errorf("%d buckets kept for %d channels; idle ones should have been dropped", n, 3*minSweep)
	}
}

// TestPacerDeadline: a turn further off than the call's deadline is not
// waited for; the error says when to come back, and the turn is free for
// the next caller.
func TestPacerDeadline(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1700000000, 0)}
	p := NewPacer(map[string]Rate{"channel": {PerSecond: 1, Burst: 1}}, clock.now, clock.sleep)
	key := PaceKey{"channel", "C1"}
	if err := p.Wait(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), clock.now().Add(500*time.Millisecond))
	defer cancel()
	start := clock.now()
	err := p.Wait(ctx, key)
	if d, ok := RetryDelay(err); !ok || d != time.Second || clock.now() != start {
		t.Fatalf("Wait = %v after %s; want a retry in 1s at once", err, clock.now().Sub(start))
	}
	if err := p.Wait(context.Background(), key); err != nil || clock.now().Sub(start) != time.Second {
		t.Errorf("the next call waited %s (err %v); want 1s, the turn given back", clock.now().Sub(start), err)
	}
}
