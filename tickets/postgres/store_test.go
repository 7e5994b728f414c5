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
