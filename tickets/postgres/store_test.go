package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

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

func TestReopen(t *testing.T) {
	url := pgtest.Database(t)
	ctx := t.Context()
	s := open(t, url)
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3,
		Summary: "printer offline", Requester: tickets.Person{Platform: "slack", UserID: "U1"},
		Fields: map[string]string{"device": "HP 4th floor"}, CreatedAt: time.Now()}
	if err := s.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	before := applied(t, s)
	s.Close()

	s = open(t, url)
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
	rows, err := s.pool.Query(t.Context(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v int64
		var at time.Time
		var name string
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(v, " ", name, " ", at.UnixMicro()))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
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
	if got := applied(t, stores[0]); len(got) != 1 {
		t.Errorf("applied migrations = %q, want one", got)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	url := pgtest.Database(t)
	ctx := t.Context()
	s := open(t, url)
	// What a newer build leaves behind.
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at)
		VALUES (9999, '9999_future', now())`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, url)
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
	// adds one; a failing one leaves nothing behind.
	s := open(t, pgtest.Database(t))
	defer s.Close()
	v1 := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);")},
	}
	v2 := fstest.MapFS{
		"migrations/0001_a.sql": v1["migrations/0001_a.sql"],
		"migrations/0002_b.sql": {Data: []byte("INSERT INTO a VALUES (2);")},
	}
	bad := fstest.MapFS{
		"migrations/0001_a.sql": v1["migrations/0001_a.sql"],
		"migrations/0002_b.sql": v2["migrations/0002_b.sql"],
		"migrations/0003_c.sql": {Data: []byte("INSERT INTO a VALUES (4); SELECT no_such_column FROM a;")},
	}
	// The store's own schema_migrations is in the way: use a schema of
	// the test's.
	ctx := t.Context()
	if _, err := s.pool.Exec(ctx, `CREATE SCHEMA m`); err != nil {
		t.Fatal(err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET search_path = m`); err != nil {
		t.Fatal(err)
	}
	for _, fsys := range []fstest.MapFS{v1, v1, v2, v2, bad} {
		err := migrate(ctx, conn, fsys, dialect())
		if fsys["migrations/0003_c.sql"] != nil {
			if err == nil || !strings.Contains(err.Error(), "0003_c") {
				t.Errorf("failing migration: err = %v, want one naming 0003_c", err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
	}
	var sum int
	if err := conn.QueryRow(ctx, "SELECT SUM(x) FROM a").Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 3 {
		t.Errorf("sum of rows = %d, want 3: each migration once, the failed one not at all", sum)
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
	began, release := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- a.InTx(ctx, func(tx tickets.Tx) error {
			close(began)
			<-release
			return nil
		})
	}()
	<-began
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err := b.SeenEvent(short, "ev1", time.Now())
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(fmt.Sprint(err), "cancel") {
		t.Errorf("write during another replica's write transaction: %v, want it to wait", err)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if first, err := b.SeenEvent(ctx, "ev1", time.Now()); err != nil || !first {
		t.Errorf("SeenEvent after the other transaction ended = %v, %v; want true", first, err)
	}
}
