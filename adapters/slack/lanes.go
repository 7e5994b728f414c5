package slack

import (
	"context"
	"sync"
)

// maxTaking bounds the Socket Mode requests being recorded at once; past
// it the reader waits for one to be acknowledged.
const maxTaking = 512

// lanes runs the taking (record, then acknowledge) of Socket Mode
// requests concurrently, in the order they were read within a lane. The
// reader reads one envelope at a time; had it waited for each record's
// commit before reading the next, a burst would be acknowledged at one
// commit per envelope, and the inbox's group commit (every record waiting
// at once in one transaction) would have nothing to group. Events of one
// lane (one person in one conversation) are still recorded in order, each
// once the one before it is: the inbox hands them to the workers in that
// order.
type lanes struct {
	slots chan struct{} // a token per request being taken
	wg    sync.WaitGroup

	mu   sync.Mutex
	tail map[string]chan struct{} // per lane, closed when its last request is taken
}

func newLanes() *lanes {
	return &lanes{slots: make(chan struct{}, maxTaking), tail: map[string]chan struct{}{}}
}

// run runs fn in the background after the lane's earlier fn have
// returned. It waits only while maxTaking requests are being taken, or
// until ctx ends (then fn does not run).
func (l *lanes) run(ctx context.Context, lane string, fn func()) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	done := make(chan struct{})
	l.mu.Lock()
	prev := l.tail[lane]
	l.tail[lane] = done
	l.mu.Unlock()
	l.wg.Go(func() {
		defer func() { <-l.slots }()
		if prev != nil {
			<-prev
		}
		fn()
		close(done)
		l.mu.Lock()
		if l.tail[lane] == done {
			delete(l.tail, lane)
		}
		l.mu.Unlock()
	})
}

// wait returns once every fn started has returned.
func (l *lanes) wait() { l.wg.Wait() }
