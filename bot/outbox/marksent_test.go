package outbox_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// flakyStore is the real store whose MarkSent fails while failing says so,
// as a database restarting mid-delivery does.
type flakyStore struct {
	outbox.Store
	failing func(attempt int) bool
	mu      sync.Mutex
	calls   int
}

func (s *flakyStore) MarkSent(ctx context.Context, id int64, at time.Time, ref string) error {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	if s.failing(n) {
		return errors.New("connection refused")
	}
	return s.Store.MarkSent(ctx, id, at, ref)
}

// syncBuffer is a log destination the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A message the platform took whose "sent" record fails is recorded on a
// later try within its claim, and sent once; when recording fails for as
// long as the claim, the duplicate to come is logged (issue 15: duplicates
// after database restarts, their cause never logged).
func TestDispatcherRetriesMarkSent(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failing  func(int) bool
		sent     bool
		wantLogs []string
	}{
		{"blip", func(n int) bool { return n <= 3 }, true,
			[]string{"recording it failed; trying again", "recorded as sent after retries"}},
		{"down", func(int) bool { return true }, false,
			[]string{"sent but not recorded as sent; it will be sent again when its claim runs out", "connection refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDispatchFixture(t)
			var logs syncBuffer
			flaky := &flakyStore{Store: f.store.(outbox.Store), failing: tc.failing}
			f.d.Store = flaky
			f.d.Log = slog.New(slog.NewTextHandler(&logs, nil))
			f.d.Lease = 600 * time.Millisecond
			f.enqueue(t, &tickets.OutboxMessage{Key: "m1", To: tickets.Place{ChannelID: "c"}, Text: "hello"})
			f.deliver(t)
			if n := len(f.sender.Keys()); n != 1 {
				t.Fatalf("sent %d times, want once", n)
			}
			m, err := f.store.OutboxMessage(context.Background(), "m1")
			if err != nil {
				t.Fatal(err)
			}
			if recorded := !m.SentAt.IsZero(); recorded != tc.sent {
				t.Errorf("recorded as sent: %v, want %v", recorded, tc.sent)
			}
			for _, want := range tc.wantLogs {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %q:\n%s", want, logs.String())
				}
			}
		})
	}
}
