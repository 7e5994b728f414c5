package chat

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// TestHold: the event is done once the handler's own hold and every Hold
// under its context are released, once however often each is; a Hold
// outside an event's handling, or after it is done, holds nothing.
func TestHold(t *testing.T) {
	var done atomic.Int64
	ctx, release := withHandling(context.Background(), true, func() { done.Add(1) })
	if !Again(ctx) || Again(context.Background()) {
		t.Fatalf("Again = %v inside, %v outside; want true, false", Again(ctx), Again(context.Background()))
	}
	first, second := Hold(ctx), Hold(ctx)
	for _, step := range []struct {
		name    string
		release func()
		want    int64
	}{
		{"the handler returns", release, 0},
		{"the handler's release again", release, 0},
		{"the first reply posted", first, 0},
		{"the first reply's release again", first, 0},
		{"the second reply posted", second, 1},
	} {
		step.release()
		if got := done.Load(); got != step.want {
			t.Fatalf("after %s: done %d times, want %d", step.name, got, step.want)
		}
	}
	Hold(ctx)() // after the event was recorded handled
	Hold(context.Background())()
	if got := done.Load(); got != 1 {
		t.Errorf("done %d times, want once", got)
	}
}

// TestDetach: work under a detached context holds nothing, so the event
// is done when the handler returns, and knows no event (Again is false).
func TestDetach(t *testing.T) {
	var done atomic.Int64
	ctx, release := withHandling(context.Background(), true, func() { done.Add(1) })
	detached := Detach(ctx)
	edit := Hold(detached)
	if Again(detached) {
		t.Error("Again under a detached context")
	}
	release()
	if got := done.Load(); got != 1 {
		t.Fatalf("the handler returned with only detached work left: done %d times, want 1", got)
	}
	edit()
	if got := done.Load(); got != 1 {
		t.Errorf("done %d times after the detached work, want once", got)
	}
}

// TestInboxFinishesAfterQueuedReplies: an event whose handler queued a
// reply on a SendQueue is recorded handled only once the reply was
// posted, so a crash before the post (the process gone, the reply with
// it) hands the event to the next run, which knows it may have been
// handled (Again) and answers it.
func TestInboxFinishesAfterQueuedReplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hd.db")
	s := openInboxStore(t, path)
	w := NewWorkers(2, time.Minute)
	defer w.Close()
	q := NewSendQueue(time.Minute)
	posted, stuck := make(chan struct{}), make(chan struct{})
	defer close(stuck)
	now := time.Now()
	type run struct {
		again bool
		event string
	}
	runs := make(chan run, 4)
	handler := func(ctx context.Context, p []byte) {
		runs <- run{Again(ctx), string(p)}
		q.Go(ctx, string(p), func(context.Context) {
			if string(p) == "posted" {
				<-posted
			} else {
				<-stuck // never posted: the process dies first
			}
		})
	}
	in := NewInbox(s, w, InboxOptions{Poll: 20 * time.Millisecond, Lease: time.Minute, Now: func() time.Time { return now }})
	in.Handle("test", handler)
	ctx, cancel := context.WithCancel(t.Context())
	go in.Run(ctx)
	for _, k := range []string{"posted", "lost"} {
		if _, err := in.Record(ctx, &tickets.InboundEvent{Key: k, Kind: "test", Lane: k, Payload: []byte(k)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if r := <-runs; r.again {
			t.Errorf("%s handled the first time with Again", r.event)
		}
	}
	time.Sleep(50 * time.Millisecond) // time for a wrong finish
	if in.Settled() {
		t.Fatal("settled while both replies were still being posted")
	}
	close(posted)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		in.mu.Lock()
		waiting := len(in.waiting)
		in.mu.Unlock()
		if waiting == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events waiting after one reply was posted, want 1", waiting)
		}
	}
	cancel() // the crash: "lost" is claimed, its reply never posted

	later := now.Add(2 * time.Minute) // past the dead claim
	next := NewInbox(s, w, InboxOptions{Poll: 20 * time.Millisecond, Now: func() time.Time { return later }})
	next.Handle("test", func(ctx context.Context, p []byte) { runs <- run{Again(ctx), string(p)} })
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	go next.Run(ctx)
	select {
	case r := <-runs:
		if r.event != "lost" || !r.again {
			t.Errorf("after the restart handled %s (Again %v), want lost, with Again", r.event, r.again)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the event whose reply was never posted was not handled again")
	}
	time.Sleep(100 * time.Millisecond) // time for a wrong second run
	select {
	case r := <-runs:
		t.Errorf("handled %s again after the restart; only lost's reply was never posted", r.event)
	default:
	}
}
