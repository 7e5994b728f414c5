package chat

import (
	"context"
	"sync"
	"time"
)

// SendQueue posts replies in the background, so handling an event never
// waits on the platform: a worker hands its replies over and takes the
// next event while they go out. Sends of one lane (a conversation) go in
// the order they were queued; different lanes go concurrently, each send
// under its own timeout. Pacing (Pacer) and a platform's Retry-After are
// waited out here, not on a worker; the adapter bounds its calls in
// flight itself, after pacing, so a lane waiting for its turn holds up no
// other.
type SendQueue struct {
	timeout time.Duration

	mu      sync.Mutex
	lanes   map[string][]queuedSend // per busy lane, the sends queued behind the running one
	pending int                     // sends queued or running
	idle    *sync.Cond
}

// ReplyTimeout is how long an event's replies may take from being queued
// to being posted, pacing, Retry-After and the wait behind earlier
// replies of the conversation included; past it the adapter hands them to
// the outbox. The inbox's lease must outlast it (the event is finished
// only once its replies are out), or another replica would answer again.
const ReplyTimeout = time.Minute

// NewSendQueue gives each send at most timeout from the moment it is
// queued: a send that waited its whole time behind others in its lane
// runs with its context already done, and the adapter queues it in the
// outbox instead.
func NewSendQueue(timeout time.Duration) *SendQueue {
	q := &SendQueue{timeout: timeout, lanes: map[string][]queuedSend{}}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Go queues send behind the earlier sends of lane and returns at once.
// send gets a context that outlives ctx's cancellation (the event's
// handling ends before its replies are out) but keeps its values.
//
// An inbox event whose handler queued send is recorded handled only once
// send has run (Hold): a crash before the post handles the event again.
func (q *SendQueue) Go(ctx context.Context, lane string, send func(ctx context.Context)) {
	release, post := Hold(ctx), send
	send = func(ctx context.Context) {
		defer release()
		post(ctx)
	}
	qs := queuedSend{send: send, deadline: time.Now().Add(q.timeout)}
	q.mu.Lock()
	q.pending++
	if waiting, busy := q.lanes[lane]; busy {
		q.lanes[lane] = append(waiting, qs)
		q.mu.Unlock()
		return
	}
	q.lanes[lane] = nil
	q.mu.Unlock()
	// One goroutine per busy lane, which ends with the lane's last send:
	// at most as many as conversations with replies under way.
	go q.drain(context.WithoutCancel(ctx), lane, qs)
}

// queuedSend is a send and the time by which it must be done, counted
// from when it was queued.
type queuedSend struct {
	send     func(ctx context.Context)
	deadline time.Time
}

// drain runs lane's sends in order until none is left.
func (q *SendQueue) drain(ctx context.Context, lane string, qs queuedSend) {
	for qs.send != nil {
		sctx, cancel := context.WithDeadline(ctx, qs.deadline)
		qs.send(sctx)
		cancel()
		q.mu.Lock()
		q.pending--
		qs = queuedSend{}
		if waiting := q.lanes[lane]; len(waiting) > 0 {
			qs, q.lanes[lane] = waiting[0], waiting[1:]
		} else {
			delete(q.lanes, lane)
		}
		if q.pending == 0 {
			q.idle.Broadcast()
		}
		q.mu.Unlock()
	}
}

// Wait returns once every send queued so far has been made (at shutdown,
// and for tests that look at what was posted).
func (q *SendQueue) Wait() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 {
		q.idle.Wait()
	}
}
