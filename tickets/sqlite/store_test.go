package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
	"github.com/helpdesk-bot/helpdesk/tickets/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tickets.Store {
		return open(t, filepath.Join(t.TempDir(), "helpdesk.db"))
	})
}

// open opens the store at path; the caller closes it.
func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenCreatesDirectory(t *testing.T) {
	// A path with characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "a dir?#%", "nested", "helpdesk.db")
	s := open(t, path)
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file::memory:"} {
		if s, err := Open(t.Context(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestPragmas(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "helpdesk.db"))
	defer s.Close()
	ctx := t.Context()
	for _, tc := range []struct {
		pool, pragma, want string
	}{
		{"write", "journal_mode", "wal"},
		{"write", "foreign_keys", "1"},
		{"write", "synchronous", "2"}, // FULL, the default
		{"write", "busy_timeout", "10000"},
		{"read", "journal_mode", "wal"},
		{"read", "query_only", "1"},
		{"read", "busy_timeout", "10000"},
	} {
		db := s.write
		if tc.pool == "read" {
			db = s.read
		}
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("%s PRAGMA %s: %v", tc.pool, tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("%s PRAGMA %s = %s, want %s", tc.pool, tc.pragma, got, tc.want)
		}
	}
}

func TestWriteTxTakesLockAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	s := open(t, path)
	defer s.Close()
	other := open(t, path) // another process, as far as SQLite can tell
	defer other.Close()
	ctx := t.Context()

	// While a write transaction of s is open, even before it has written,
	// other cannot write: BEGIN IMMEDIATE took the lock. With busy_timeout 0
	// other fails at once rather than waiting for it.
	release := storetest.HoldTx(t, s)
	if _, err := other.write.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	_, err := other.SeenEvent(ctx, "ev1", time.Now())
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY {
		t.Errorf("write during another write transaction: %v, want SQLITE_BUSY", err)
	}
	release()
}

func TestDatabase(t *testing.T) {
	storetest.RunDatabase(t, storetest.Database{
		New: func(t *testing.T) string { return filepath.Join(t.TempDir(), "helpdesk.db") },
		Open: func(t *testing.T, path string) (tickets.Store, error) {
			return Open(t.Context(), path)
		},
		Raw: func(t *testing.T, path string) (sqlstore.Querier, func(context.Context, fs.FS) error) {
			// As the store's writer connects, without migrating.
			db, err := sql.Open("sqlite", dsn(path, true, SyncFull))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return sqlstore.NewSQL(db, nil), func(ctx context.Context, fsys fs.FS) error {
				return migrate(ctx, db, fsys, dialect())
			}
		},
		Migrations: migrationFiles,
		Probe: func(t *testing.T, path string) (sqlstore.Schema, error) {
			return Probe(t.Context(), path)
		},
	})
}

// Commits are flushed to disk at every commit unless config chooses
// otherwise; a value that is neither is refused with what to write.
func TestSynchronous(t *testing.T) {
	for _, tc := range []struct {
		set  string
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{"", 2}, {"full", 2}, {"NORMAL", 1}} {
		s, err := OpenWith(t.Context(), filepath.Join(t.TempDir(), "hd.db"), Options{Synchronous: tc.set})
		if err != nil {
			t.Fatal(err)
		}
		for _, db := range []*sql.DB{s.write, s.read} {
			var got int
			if err := db.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&got); err != nil || got != tc.want {
				t.Errorf("synchronous %q: PRAGMA synchronous = %d (%v), want %d", tc.set, got, err, tc.want)
			}
		}
		s.Close()
	}
	_, err := OpenWith(t.Context(), filepath.Join(t.TempDir(), "hd.db"), Options{Synchronous: "off"})
	if err == nil || !strings.Contains(err.Error(), "not full or normal") {
		t.Errorf("synchronous off: %v, want it refused", err)
	}
}
