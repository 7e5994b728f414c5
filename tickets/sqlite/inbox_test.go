package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func TestInboxPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"data/helpdesk.db", "data/helpdesk-inbox.db"},
		{"/var/lib/helpdesk/desk.sqlite", "/var/lib/helpdesk/desk-inbox.sqlite"},
		{"helpdesk", "helpdesk-inbox"},
	} {
		if got := InboxPath(tc.in); got != tc.want {
			t.Errorf("InboxPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An event is recorded while a desk transaction holds the main file's
// writer: the inbox has a writer of its own, so the record (what an
// acknowledgement waits for) does not queue behind the desk.
func TestRecordWhileDeskTransactionRuns(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "helpdesk.db"))
	defer s.Close()
	ctx := t.Context()
	inTx, release := make(chan struct{}), make(chan struct{})
	txDone := make(chan error, 1)
	go func() {
		txDone <- s.InTx(ctx, func(tx tickets.Tx) error {
			if err := writeTicket(ctx, tx, "held"); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	select {
	case <-inTx:
	case err := <-txDone:
		t.Fatalf("the desk transaction ended before the record: %v", err)
	}
	recorded := make(chan error, 1)
	go func() {
		_, err := s.RecordInbound(ctx, &tickets.InboundEvent{Key: "k1", Kind: "test:message", Lane: "l"})
		recorded <- err
	}()
	select {
	case err := <-recorded:
		if err != nil {
			t.Fatalf("RecordInbound: %v", err)
		}
	case <-time.After(10 * time.Second): // a deadlock guard, not a latency bound
		close(release)
		t.Fatal("RecordInbound waited for the desk's write transaction")
	}
	close(release)
	if err := <-txDone; err != nil {
		t.Fatal(err)
	}
}

// Many events recorded at once are each recorded once, with their own ID,
// whichever commit took them; a restart finds them all.
func TestInboxGroupCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	s := open(t, path)
	ctx := t.Context()
	const n = 300
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			// Every key twice: the second of each pair is a redelivery.
			for range 2 {
				e := &tickets.InboundEvent{Key: fmt.Sprintf("k%d", i), Kind: "test:message", Lane: fmt.Sprintf("lane%d", i%7), Payload: []byte{byte(i)}}
				first, err := s.RecordInbound(ctx, e)
				if err != nil {
					errs[i] = err
					return
				}
				if first {
					if ids[i] != 0 {
						errs[i] = fmt.Errorf("key k%d recorded twice", i)
					}
					ids[i] = e.ID
				}
			}
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ids[i] == 0 || seen[ids[i]] {
			t.Fatalf("event %d: id %d (zero or taken)", i, ids[i])
		}
		seen[ids[i]] = true
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	now := time.Now()
	claimed := 0
	for {
		es, err := s.ClaimInbound(ctx, now, now.Add(time.Minute), 64)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			if !seen[e.ID] {
				t.Fatalf("claimed %d, never recorded", e.ID)
			}
			claimed++
			if err := s.FinishInbound(ctx, e.ID, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if claimed != n {
		t.Errorf("after a restart %d events were handled, want %d", claimed, n)
	}
}

// Events an earlier release recorded in the main file's inbox table move
// to the inbox file at open: the unhandled are handled, the handled still
// recognise a redelivery.
func TestInboxMovesFromMainFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	s := open(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, true, SyncFull))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO inbox (key, kind, lane, payload, received_at, attempts, handled_at) VALUES
		('old-waiting', 'test:message', 'l', x'7b7d', 1, 1, NULL),
		('old-handled', 'test:message', 'l', NULL, 1, 1, 2)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	ctx := t.Context()
	now := time.Now()
	es, err := s.ClaimInbound(ctx, now, now.Add(time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Key != "old-waiting" || string(es[0].Payload) != "{}" || es[0].Attempts != 2 {
		t.Fatalf("claimed after the move: %+v, want old-waiting on its second attempt", es)
	}
	for _, key := range []string{"old-waiting", "old-handled"} {
		if first, err := s.RecordInbound(ctx, &tickets.InboundEvent{Key: key, Kind: "test:message", Lane: "l"}); err != nil || first {
			t.Errorf("redelivery of %s after the move: first %v, err %v", key, first, err)
		}
	}
	var left int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d events left in the main file's inbox table", left)
	}
}

// A write whose caller has given up is not made, and the writes committed
// with it are.
func TestInboxWriteAfterCallerGaveUp(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "helpdesk.db"))
	defer s.Close()
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.RecordInbound(gone, &tickets.InboundEvent{Key: "gone", Kind: "test:message", Lane: "l"}); err == nil {
		t.Error("RecordInbound with an ended context succeeded")
	}
	first, err := s.RecordInbound(t.Context(), &tickets.InboundEvent{Key: "gone", Kind: "test:message", Lane: "l"})
	if err != nil || !first {
		t.Errorf("recording the event again: first %v, err %v; want it new", first, err)
	}
}
