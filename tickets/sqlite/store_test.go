package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
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
		{"write", "synchronous", "1"}, // NORMAL
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
	began, release := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.InTx(ctx, func(tx tickets.Tx) error {
			close(began)
			<-release
			return nil
		})
	}()
	<-began
	if _, err := other.write.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	_, err := other.SeenEvent(ctx, "ev1", time.Now())
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY {
		t.Errorf("write during another write transaction: %v, want SQLITE_BUSY", err)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	ctx := t.Context()
	s := open(t, path)
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3,
		Summary: "printer offline", Requester: tickets.Person{Platform: "slack", UserID: "U1"},
		Fields: map[string]string{"device": "HP 4th floor"}, CreatedAt: time.Now()}
	if err := s.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	before := applied(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	got, err := s.Ticket(ctx, tk.ID)
	if err != nil {
		t.Fatalf("ticket after reopening: %v", err)
	}
	if got.Summary != tk.Summary || got.Fields["device"] != "HP 4th floor" {
		t.Errorf("ticket after reopening = %+v", got)
	}
	if d := cmp.Diff(before, applied(t, s)); d != "" {
		t.Errorf("migrations changed on reopening (-before +after):\n%s", d)
	}
	if len(before) == 0 || !strings.HasPrefix(before[0], "1 0001_init ") {
		t.Errorf("applied migrations = %q, want 0001_init first", before)
	}
}

// applied lists the recorded migrations as "version name applied_at", so
// a migration applied again shows as a changed time.
func applied(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v, at int64
		var name string
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(v, " ", name, " ", at))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	ctx := t.Context()
	s := open(t, path)
	// What a newer build leaves behind.
	if _, err := s.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at)
		VALUES (9999, '9999_future', 0)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a database migrated by a newer build succeeded")
	}
	for _, want := range []string{"9999", "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestMigrations(t *testing.T) {
	ms, err := sqlstore.LoadMigrations(migrationFiles)
	if err != nil {
		t.Fatalf("embedded migrations: %v", err)
	}
	if len(ms) == 0 || ms[0].Name != "0001_init" {
		t.Fatalf("embedded migrations start with %+v", ms)
	}

	// Migrations apply in number order, each once, also when a later build
	// adds one.
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v1 := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);")},
	}
	v2 := fstest.MapFS{
		"migrations/0001_a.sql": v1["migrations/0001_a.sql"],
		"migrations/0002_b.sql": {Data: []byte("INSERT INTO a VALUES (2);")},
	}
	for _, fsys := range []fstest.MapFS{v1, v1, v2, v2} {
		if err := migrate(t.Context(), db, fsys, dialect()); err != nil {
			t.Fatal(err)
		}
	}
	var sum int
	if err := db.QueryRow("SELECT SUM(x) FROM a").Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 3 {
		t.Errorf("sum of rows = %d, want 3: each migration once", sum)
	}
}
