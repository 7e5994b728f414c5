package storetest

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
)

// Database is how a store keeps its data, for RunDatabase: where a
// database is, and how the store opens and migrates one.
type Database struct {
	// New names a new, empty database for t.
	New func(t *testing.T) string
	// Open opens the store on db, as its package's Open does.
	Open func(t *testing.T, db string) (tickets.Store, error)
	// Raw connects to db without the store, until t ends: q runs
	// statements there, and migrate applies the migrations in fsys
	// (migrations/NNNN_name.sql) as Open applies the store's own.
	Raw func(t *testing.T, db string) (q sqlstore.Querier, migrate func(ctx context.Context, fsys fs.FS) error)
	// Migrations are the store's own migrations.
	Migrations fs.FS
	// Probe is the store's Probe: what Open would do to db, undone.
	Probe func(t *testing.T, db string) (sqlstore.Schema, error)
}

// RunDatabase checks what a store keeps across a restart and how it
// migrates its database.
func RunDatabase(t *testing.T, db Database) {
	for _, tt := range []struct {
		name string
		fn   func(*testing.T, Database)
	}{
		{"Database/Reopen", testReopen},
		{"Database/Migrate", testMigrate},
		{"Database/NewerRefused", testNewerRefused},
		{"Database/UpgradeFromEarlier", testUpgradeFromEarlier},
		{"Database/Probe", testProbe},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, db) })
	}
}

// count runs query, which selects one integer, on q.
func count(t *testing.T, q sqlstore.Querier, query string) int {
	t.Helper()
	var n int
	ok(t, q.QueryRow(t.Context(), query).Scan(&n), query)
	return n
}

// open opens the store on name, failing t on an error; the caller closes
// it.
func (db Database) open(t *testing.T, name string) tickets.Store {
	t.Helper()
	s, err := db.Open(t, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testReopen checks that a ticket outlives the store that wrote it and
// that reopening applies no migration again.
func testReopen(t *testing.T, db Database) {
	ctx := t.Context()
	name := db.New(t)
	s := db.open(t, name)
	tk := create(t, s, &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3,
		Summary: "printer offline", Requester: tickets.Person{Platform: "slack", UserID: "U1"},
		Fields: map[string]string{"device": "HP 4th floor"}, CreatedAt: time.Now()})
	ok(t, s.Close(), "Close")

	s = db.open(t, name)
	defer s.Close()
	got, err := s.Ticket(ctx, tk.ID)
	ok(t, err, "Ticket after reopening")
	if got.Summary != tk.Summary || got.Fields["device"] != "HP 4th floor" {
		t.Errorf("ticket after reopening = %+v", got)
	}
	ms, err := sqlstore.LoadMigrations(db.Migrations)
	ok(t, err, "embedded migrations")
	if len(ms) == 0 || ms[0].Name != "0001_init" {
		t.Fatalf("embedded migrations start with %+v", ms)
	}
	raw, _ := db.Raw(t, name)
	if n := count(t, raw, `SELECT COUNT(*) FROM schema_migrations`); n != len(ms) {
		t.Errorf("%d migrations recorded after reopening, want %d: each once", n, len(ms))
	}
}

// testMigrate checks that migrations apply in number order and each once,
// also when a later build adds one, and that a failing one leaves nothing
// behind.
func testMigrate(t *testing.T, db Database) {
	raw, migrate := db.Raw(t, db.New(t))
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
	for _, fsys := range []fstest.MapFS{v1, v1, v2, v2} {
		ok(t, migrate(t.Context(), fsys), "migrate")
	}
	if err := migrate(t.Context(), bad); err == nil || !strings.Contains(err.Error(), "0003_c") {
		t.Errorf("failing migration: err = %v, want one naming 0003_c", err)
	}
	if sum := count(t, raw, `SELECT SUM(x) FROM a`); sum != 3 {
		t.Errorf("sum of rows = %d, want 3: each migration once, the failed one not at all", sum)
	}
	if n := count(t, raw, `SELECT MAX(version) FROM schema_migrations`); n != 2 {
		t.Errorf("schema at version %d after a failed migration, want 2", n)
	}
}

// testNewerRefused checks that the store does not open a database that a
// newer build, one with more migrations, has migrated.
func testNewerRefused(t *testing.T, db Database) {
	name := db.New(t)
	newer := fstest.MapFS{}
	paths, err := fs.Glob(db.Migrations, "migrations/*.sql")
	ok(t, err, "embedded migrations")
	for _, p := range paths {
		b, err := fs.ReadFile(db.Migrations, p)
		ok(t, err, "embedded migration")
		newer[p] = &fstest.MapFile{Data: b}
	}
	future := len(paths) + 1
	newer[fmt.Sprintf("migrations/%04d_future.sql", future)] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	_, migrate := db.Raw(t, name)
	ok(t, migrate(t.Context(), newer), "migrate as a newer build")

	s, err := db.Open(t, name)
	if err == nil {
		s.Close()
		t.Fatal("Open of a database migrated by a newer build succeeded")
	}
	for _, want := range []string{strconv.Itoa(future), "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// earlier is the store's own migrations up to version n, as an earlier
// release shipped them (a released migration is never edited).
func (db Database) earlier(t *testing.T, n int) fstest.MapFS {
	t.Helper()
	ms, err := sqlstore.LoadMigrations(db.Migrations)
	ok(t, err, "embedded migrations")
	out := fstest.MapFS{}
	for _, m := range ms[:n] {
		out["migrations/"+m.Name+".sql"] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	return out
}

// testUpgradeFromEarlier checks the upgrade path: a database an earlier
// release made, at each earlier schema, holding a ticket, opens with this
// build, which migrates it forward once; the ticket is kept and new ones
// follow it.
func testUpgradeFromEarlier(t *testing.T, db Database) {
	ms, err := sqlstore.LoadMigrations(db.Migrations)
	ok(t, err, "embedded migrations")
	for n := 1; n < len(ms); n++ {
		t.Run(ms[n-1].Name, func(t *testing.T) {
			ctx := t.Context()
			name := db.New(t)
			raw, migrate := db.Raw(t, name)
			ok(t, migrate(ctx, db.earlier(t, n)), "migrate as the earlier release")
			// The columns of the first schema, which every later one keeps.
			_, err := raw.Exec(ctx, `INSERT INTO tickets (kind, status, priority, summary, requester_platform, requester_user_id)
				VALUES ('incident', 'new', 3, 'printer offline', 'slack', 'U1')`)
			ok(t, err, "a ticket of the earlier release")

			s := db.open(t, name)
			defer s.Close()
			got, err := s.Ticket(ctx, 1)
			ok(t, err, "the earlier ticket after the upgrade")
			if got.Summary != "printer offline" || got.Requester.Key() != "slack:U1" || got.Status != tickets.StatusNew {
				t.Errorf("earlier ticket after the upgrade = %+v", got)
			}
			tk := create(t, s, &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P2,
				Summary: "vpn down", Requester: tickets.Person{Platform: "slack", UserID: "U2"}, CreatedAt: time.Now()})
			if tk.ID != 2 {
				t.Errorf("new ticket got #%d, want #2 after the earlier one", tk.ID)
			}
			if v := count(t, raw, `SELECT MAX(version) FROM schema_migrations`); v != len(ms) {
				t.Errorf("schema at version %d after the upgrade, want %d", v, len(ms))
			}
			if n := count(t, raw, `SELECT COUNT(*) FROM schema_migrations`); n != len(ms) {
				t.Errorf("%d migrations recorded, want %d: each once", n, len(ms))
			}
		})
	}
}

// testProbe checks that Probe says what Open would do and does none of it:
// the pending migrations of an earlier schema, nothing for a current one,
// Open's refusal for a newer one.
func testProbe(t *testing.T, db Database) {
	ctx := t.Context()
	ms, err := sqlstore.LoadMigrations(db.Migrations)
	ok(t, err, "embedded migrations")
	name := db.New(t)
	s, err := db.Probe(t, name)
	ok(t, err, "probe of a new database")
	if s.Writes != nil || s.Current != 0 || s.Latest != len(ms) || len(s.Pending) != len(ms) {
		t.Errorf("probe of a new database = %+v, want every migration pending", s)
	}

	raw, migrate := db.Raw(t, name)
	ok(t, migrate(ctx, db.earlier(t, len(ms)-1)), "migrate as the earlier release")
	s, err = db.Probe(t, name)
	ok(t, err, "probe of an earlier schema")
	if s.Writes != nil || s.Current != len(ms)-1 || len(s.Pending) != 1 || s.Pending[0] != ms[len(ms)-1].Name {
		t.Errorf("probe of an earlier schema = %+v, want %s pending", s, ms[len(ms)-1].Name)
	}
	if v := count(t, raw, `SELECT MAX(version) FROM schema_migrations`); v != len(ms)-1 {
		t.Errorf("schema at version %d after the probe, want %d: the probe applies nothing", v, len(ms)-1)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM schema_migrations WHERE version = 0`); n != 0 {
		t.Errorf("the probe's row is still there")
	}

	st := db.open(t, name)
	ok(t, st.Close(), "Close")
	s, err = db.Probe(t, name)
	ok(t, err, "probe of a current schema")
	if s.Writes != nil || s.Current != len(ms) || len(s.Pending) != 0 {
		t.Errorf("probe of a current schema = %+v, want nothing pending", s)
	}

	newer := db.earlier(t, len(ms))
	newer[fmt.Sprintf("migrations/%04d_future.sql", len(ms)+1)] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	ok(t, migrate(ctx, newer), "migrate as a newer build")
	if _, err := db.Probe(t, name); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("probe of a newer schema: err = %v, want Open's refusal", err)
	}
}
