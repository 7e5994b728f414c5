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
// in order, one at a time, lanes run side by side, and Wait sees them all
// made even though the caller's context was cancelled.
func TestSendQueue(t *testing.T) {
	const lanes, perLane = 6, 5
	q := NewSendQueue(time.Minute)
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
	// Every lane's first send is under way together, none of its second.
	for deadline := time.Now().Add(10 * time.Second); inFlight.Load() < lanes && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	close(release)
	q.Wait()
	if most.Load() != lanes {
		t.Errorf("%d sends at once; want one per lane, %d", most.Load(), lanes)
	}
	for l := range lanes {
		lane := fmt.Sprint("lane", l)
		if got := fmt.Sprint(order[lane]); got != "[0 1 2 3 4]" {
			t.Errorf("%s sent in order %s", lane, got)
		}
	}
}

// A send's time counts from when it was queued, not from when its turn
// came: one that waited its whole time behind a slow send in its lane runs
// with its context done (and the adapter hands it to the outbox), so an
// event's replies never hold it past ReplyTimeout.
func TestSendQueueDeadlineFromQueueing(t *testing.T) {
	q := NewSendQueue(100 * time.Millisecond)
	block := make(chan struct{})
	var second error
	q.Go(context.Background(), "lane", func(ctx context.Context) {
		<-ctx.Done() // the first send takes its whole time
		<-block
	})
	q.Go(context.Background(), "lane", func(ctx context.Context) { second = ctx.Err() })
	var other error
	q.Go(context.Background(), "other", func(ctx context.Context) { other = ctx.Err() })
	time.Sleep(150 * time.Millisecond)
	close(block)
	q.Wait()
	if second == nil {
		t.Error("a send that waited past its time behind another ran with a live context")
	}
	if other != nil {
		t.Errorf("a send of another lane ran with %v", other)
	}
}
