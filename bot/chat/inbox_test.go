package chat

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

func openInboxStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// handled collects what the handlers saw.
type handled struct {
	mu   sync.Mutex
	seen []string
	cond *sync.Cond
}

func newHandled() *handled {
	h := &handled{}
	h.cond = sync.NewCond(&h.mu)
	return h
}

func (h *handled) add(s string) {
	h.mu.Lock()
	h.seen = append(h.seen, s)
	h.cond.Broadcast()
	h.mu.Unlock()
}

func (h *handled) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.seen) < n {
		if time.Now().After(deadline) {
			t.Fatalf("handled %v, want %d events", h.seen, n)
		}
		h.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		h.mu.Lock()
	}
	return append([]string(nil), h.seen...)
}

// TestInboxHandlesInLaneOrderOnce: events are handled once each, in the
// order recorded within a lane; a redelivery is told apart; a handler that
// panics is not run again.
func TestInboxHandlesInLaneOrderOnce(t *testing.T) {
	s := openInboxStore(t, filepath.Join(t.TempDir(), "hd.db"))
	w := NewWorkers(4, time.Minute)
	defer w.Close()
	w.Panicked = func(any) {}
	in := NewInbox(s, w, InboxOptions{Poll: 20 * time.Millisecond})
	h := newHandled()
	in.Handle("test", func(ctx context.Context, p []byte) {
		if string(p) == "boom" {
			h.add("boom")
			panic("boom")
		}
		time.Sleep(time.Millisecond)
		h.add(string(p))
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go in.Run(ctx)
	var want []string
	for n := range 20 {
		lane := []string{"a", "b"}[n%2]
		p := lane + string(rune('A'+n))
		want = append(want, p)
		if first, err := in.Record(ctx, &tickets.InboundEvent{Key: p, Kind: "test", Lane: lane, Payload: []byte(p)}); err != nil || !first {
			t.Fatalf("Record %s: %v %v", p, first, err)
		}
	}
	if first, err := in.Record(ctx, &tickets.InboundEvent{Key: "aA", Kind: "test", Lane: "a", Payload: []byte("again")}); err != nil || first {
		t.Errorf("a redelivery: first %v, err %v", first, err)
	}
	if _, err := in.Record(ctx, &tickets.InboundEvent{Key: "panics", Kind: "test", Lane: "c", Payload: []byte("boom")}); err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, 21)
	time.Sleep(100 * time.Millisecond) // time for a wrong second run
	h.mu.Lock()
	if len(h.seen) != 21 {
		t.Errorf("handled %d events, want 21 (each once): %v", len(h.seen), h.seen)
	}
	h.mu.Unlock()
	last := map[byte]byte{}
	for _, p := range got {
		if p == "boom" {
			continue
		}
		if prev, ok := last[p[0]]; ok && p[1] < prev {
			t.Errorf("lane %c out of order: %v", p[0], got)
		}
		last[p[0]] = p[1]
	}
}

// TestInboxRestartHandlesWhatWasRecorded: events recorded (acknowledged)
// before a crash, one of them claimed by a worker that died with the
// process, are handled after a restart, once each.
func TestInboxRestartHandlesWhatWasRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hd.db")
	s := openInboxStore(t, path)
	now := time.Now()
	for _, k := range []string{"one", "two", "three"} {
		if _, err := s.RecordInbound(t.Context(), &tickets.InboundEvent{Key: k, Kind: "test", Lane: k, Payload: []byte(k), Received: now}); err != nil {
			t.Fatal(err)
		}
	}
	// The dead process had claimed "one" for a minute.
	if es, err := s.ClaimInbound(t.Context(), now, now.Add(time.Minute), 1); err != nil || len(es) != 1 {
		t.Fatalf("claim: %v %v", es, err)
	}
	s.Close()

	s = openInboxStore(t, path)
	w := NewWorkers(2, time.Minute)
	defer w.Close()
	clock := now.Add(2 * time.Minute) // past the dead claim
	in := NewInbox(s, w, InboxOptions{Poll: 20 * time.Millisecond, Now: func() time.Time { return clock }})
	h := newHandled()
	in.Handle("test", func(_ context.Context, p []byte) { h.add(string(p)) })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go in.Run(ctx)
	got := h.wait(t, 3)
	time.Sleep(100 * time.Millisecond)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.seen) != 3 {
		t.Errorf("after the restart handled %v, want one, two and three once each", h.seen)
	}
	_ = got
}

// TestInboxWaitForRunning: Wait returns only once the events being
// handled here are finished (their replies out), and with ctx's error
// while one still is.
func TestInboxWaitForRunning(t *testing.T) {
	in := NewInbox(nil, nil, InboxOptions{})
	e := &tickets.InboundEvent{ID: 7}
	if !in.start(e) {
		t.Fatal("start refused a new event")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if err := in.Wait(ctx); err == nil {
		t.Fatal("Wait returned while an event was running")
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		in.done(e)
	}()
	if err := in.Wait(t.Context()); err != nil {
		t.Fatalf("Wait after the event finished: %v", err)
	}
}
