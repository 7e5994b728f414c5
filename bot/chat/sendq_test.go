package chat

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSendQueue: Go returns at once while sends block; a lane's sends run
// in order, lanes run side by side up to the limit, and Wait sees them all
// made even though the caller's context was cancelled.
func TestSendQueue(t *testing.T) {
	const lanes, perLane, limit = 6, 5, 3
	q := NewSendQueue(limit, time.Minute)
	release := make(chan struct{})
	var inFlight, most atomic.Int64
	var mu sync.Mutex
	order := map[string][]int{}
	ctx, cancel := context.WithCancel(context.Background())
	for i := range perLane {
		for l := range lanes {
			lane := fmt.Sprint("lane", l)
			q.Go(ctx, lane, func(ctx context.Context) {
				n := inFlight.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				<-release
				if ctx.Err() != nil {
					t.Errorf("send %s/%d ran with a cancelled context", lane, i)
				}
				mu.Lock()
				order[lane] = append(order[lane], i)
				mu.Unlock()
				inFlight.Add(-1)
			})
		}
	}
	cancel() // the event's handling is over; its replies still go out
	close(release)
	q.Wait()
	if most.Load() > limit {
		t.Errorf("%d sends at once; the limit is %d", most.Load(), limit)
	}
	for l := range lanes {
		lane := fmt.Sprint("lane", l)
		if got := fmt.Sprint(order[lane]); got != "[0 1 2 3 4]" {
			t.Errorf("%s sent in order %s", lane, got)
		}
	}
}
