package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
	"github.com/helpdesk-bot/helpdesk/tickets/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tickets.Store {
		return open(t, pgtest.Database(t))
	})
}

// open opens the store at url; the caller closes it.
func open(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDatabase(t *testing.T) {
	storetest.RunDatabase(t, storetest.Database{
		New: func(t *testing.T) string { return pgtest.Database(t) },
		Open: func(t *testing.T, url string) (tickets.Store, error) {
			return Open(t.Context(), url)
		},
		Raw: func(t *testing.T, url string) (sqlstore.Querier, func(context.Context, fs.FS) error) {
			pool, err := pgxpool.New(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pool.Close)
			return querier{pool}, func(ctx context.Context, fsys fs.FS) error {
				return migrate(ctx, pool, fsys, dialect())
			}
		},
		Migrations: migrationFiles,
		Probe: func(t *testing.T, url string) (sqlstore.Schema, error) {
			return Probe(t.Context(), url)
		},
	})
}

func TestOpenBadURL(t *testing.T) {
	s, err := Open(t.Context(), "postgres://user:secret@[::1")
	if err == nil {
		s.Close()
		t.Fatal("Open of a malformed URL succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestOpenConcurrently(t *testing.T) {
	// Replicas starting at once: each migration applies once, and every
	// one opens.
	url := pgtest.Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	stores := make([]*Store, 4)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(t.Context(), url) })
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Errorf("replica %d: %v", i, errs[i])
			continue
		}
		defer s.Close()
	}
	if t.Failed() {
		return
	}
	ms, err := sqlstore.LoadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := stores[0].pool.QueryRow(t.Context(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("%d migrations recorded, want %d: each once", n, len(ms))
	}
}

func TestInTxLockedAcrossStores(t *testing.T) {
	// Two stores on one database are two replicas: a write transaction of
	// one waits for the other's to end.
	url := pgtest.Database(t)
	a, b := open(t, url), open(t, url)
	defer a.Close()
	defer b.Close()
	ctx := t.Context()
	release := storetest.HoldTx(t, a)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err := b.SeenEvent(short, "ev1", time.Now())
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(fmt.Sprint(err), "cancel") {
		t.Errorf("write during another replica's write transaction: %v, want it to wait", err)
	}
	release()
	if first, err := b.SeenEvent(ctx, "ev1", time.Now()); err != nil || !first {
		t.Errorf("SeenEvent after the other transaction ended = %v, %v; want true", first, err)
	}
}

// A replica stalled holding the write lock stops the others' writes only
// until a timeout: idle in its transaction longer than
// idle_in_transaction_session_timeout, the server ends its session and
// the waiting write goes through; waiting longer than lock_timeout, the
// waiting write fails and says why (issue 15: no timeout anywhere, so
// every write on every replica waited for as long as the stall lasted).
func TestStalledReplica(t *testing.T) {
	ctx := t.Context()
	url := pgtest.Database(t)
	s := open(t, url)
	for name, want := range DefaultTimeouts {
		var got string
		if err := s.pool.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want the default %q", name, got, err, want)
		}
	}
	s.Close()

	with := func(lock, idle string) string {
		return url + "&lock_timeout=" + lock + "&idle_in_transaction_session_timeout=" + idle
	}
	t.Run("idle timeout frees the lock", func(t *testing.T) {
		u := with("5s", "300ms")
		stalled, other := open(t, u), open(t, u)
		defer stalled.Close()
		defer other.Close()
		began, done, errc := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			errc <- stalled.InTx(ctx, func(tx tickets.Tx) error {
				close(began)
				<-done // stalled, idle in its transaction
				_, err := tx.SeenEvent(ctx, "ev-stalled", time.Now())
				return err
			})
		}()
		<-began
		if first, err := other.SeenEvent(ctx, "ev-idle", time.Now()); err != nil || !first {
			t.Errorf("write behind a stalled replica = %v, %v; want it through once the stalled session is ended", first, err)
		}
		close(done)
		if err := <-errc; err == nil {
			t.Error("the stalled transaction committed after the server ended its session")
		}
	})
	t.Run("lock timeout fails the wait", func(t *testing.T) {
		u := with("300ms", "5s")
		stalled, other := open(t, u), open(t, u)
		defer stalled.Close()
		defer other.Close()
		release := storetest.HoldTx(t, stalled)
		defer release()
		_, err := other.SeenEvent(ctx, "ev-lock", time.Now())
		if err == nil || !strings.Contains(err.Error(), "longer than lock_timeout") {
			t.Errorf("write behind a stalled replica: %v, want a lock_timeout error naming the cause", err)
		}
	})
}
