package chat

import (
	"context"
	"sync"
	"sync/atomic"
)

// handling is one inbox event being handled, carried in its handler's
// context: whether an earlier attempt may have handled it, and the holds
// that keep the inbox from recording it handled while its replies are
// still on their way.
type handling struct {
	again bool
	holds atomic.Int64
	once  sync.Once
	done  func() // records the event handled; run once, by the last release
}

type handlingKey struct{}

// withHandling returns ctx carrying a new handling, holding it once for
// the handler itself; done runs when that hold and every Hold taken
// under ctx are released.
func withHandling(ctx context.Context, again bool, done func()) (context.Context, func()) {
	h := &handling{again: again, done: done}
	h.holds.Add(1)
	return context.WithValue(ctx, handlingKey{}, h), h.releaser()
}

// releaser returns a function that drops one hold, once however often it
// is called; the last hold dropped runs done.
func (h *handling) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			if h.holds.Add(-1) == 0 {
				h.once.Do(h.done)
			}
		})
	}
}

// Hold keeps the inbox from recording the event ctx is handling as
// handled until release is called. Whatever posts an event's replies
// after its handler returns (SendQueue) holds it until they are posted
// or handed to the outbox, so a crash before then leaves the event to be
// handled again instead of its answer lost. Outside an inbox event's
// handling (or once the event is recorded handled) it holds nothing.
func Hold(ctx context.Context) (release func()) {
	h, _ := ctx.Value(handlingKey{}).(*handling)
	if h == nil {
		return func() {}
	}
	if h.holds.Add(1) == 1 {
		h.holds.Add(-1) // the event was recorded handled already
		return func() {}
	}
	return h.releaser()
}

// Detach returns ctx without the event it is handling, for work that must
// not keep the event from being recorded handled: tidying a message (a
// KB offer's buttons taken away) that may wait long for its turn under a
// platform's limit, while the person's next message, in the same lane,
// waits for this event to be finished. A crash before such work is done
// leaves it undone, which is why only cosmetic work is detached.
func Detach(ctx context.Context) context.Context {
	return context.WithValue(ctx, handlingKey{}, (*handling)(nil))
}

// Again reports whether the event ctx is handling may have been handled
// before: an earlier attempt claimed it and never finished (the process
// died, or the handler outran its claim), maybe after its change was
// committed and before its answer was posted. The desk answers such an
// event with what it answered then rather than nothing.
func Again(ctx context.Context) bool {
	h, _ := ctx.Value(handlingKey{}).(*handling)
	return h != nil && h.again
}
