// Package sqlite is the tickets.Store on SQLite, through the pure-Go
// modernc.org/sqlite driver: the embedded default database of the help desk.
//
// Times are stored in UTC as microseconds since the Unix epoch, so they read
// back in UTC truncated to the microsecond, as PostgreSQL would keep them.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
)

// migrationFiles holds the schema changes, applied in the order of their
// number. A released migration is never edited; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeout is how long a connection waits for another process's write
// lock (a CLI subcommand next to the running bot, say) before SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// Store is the tickets.Store on one SQLite database file. It is safe for
// concurrent use.
type Store struct {
	// write has a single connection. SQLite admits one writer at a time
	// anyway; queueing writers in database/sql wakes the next one as soon as
	// the lock is free, where SQLite's busy handler sleeps and polls, and no
	// writer ever fails with SQLITE_BUSY because of another in this process.
	write *sql.DB
	// read serves the Store's own reads. In WAL mode readers never wait for
	// the writer, so a slow InTx does not stall queue views.
	read *sql.DB

	stmts *statements
}

// Open opens the database at path, creating the file and its directory if
// needed, and applies any pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		// The Store keeps two connection pools, which would each get their
		// own private in-memory database.
		return nil, fmt.Errorf("sqlite: open: %q is not a file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// 0700: tickets hold names, contacts and problem reports.
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}

	s := &Store{}
	s.write, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	if err := migrate(ctx, s.write, migrationFiles); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}

	s.read, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		s.write.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}

	if s.stmts, err = prepare(ctx, s.write); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	return s, nil
}

// dsn builds the data source name for modernc.org/sqlite. The driver runs
// each _pragma value as "PRAGMA <value>" on every new connection and begins
// non-read-only transactions with "BEGIN <_txlock>" (see the driver's Open
// documentation). The file: form lets a path hold '?' or '#'.
func dsn(abs string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	// With WAL, synchronous=NORMAL fsyncs at checkpoints instead of at every
	// commit. The database stays consistent whatever happens and a crash of
	// the process loses nothing committed; only a power cut or OS crash can
	// roll back the last commits. FULL would put a disk flush, milliseconds
	// on a cloud volume, in the path of every chat reply.
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		// A deferred transaction that reads and then writes cannot wait for
		// the write lock (SQLite returns SQLITE_BUSY at once to avoid a
		// deadlock); taking the lock at BEGIN makes writers from other
		// processes queue under busy_timeout instead.
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// Close releases the store's connections. It first lets SQLite refresh its
// query planner statistics, as SQLite recommends before closing.
func (s *Store) Close() error {
	var errs []error
	if s.stmts != nil {
		errs = append(errs, s.stmts.close())
	}
	if s.write != nil {
		// Bounded: Close has no context and must not wait long for a
		// transaction still running.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := s.write.ExecContext(ctx, "PRAGMA optimize")
		cancel()
		errs = append(errs, err, s.write.Close())
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// InTx runs fn in one write transaction, committed when fn returns nil and
// rolled back otherwise; fn's error is returned as it is. fn must use the
// tickets.Tx it is given: a write through the Store itself needs the write
// connection this transaction holds, so it waits until its ctx ends.
func (s *Store) InTx(ctx context.Context, fn func(tx tickets.Tx) error) error {
	return runTx(ctx, s.write, func(sqlTx *sql.Tx) error {
		return fn(&tx{q: sqlTx, sqlTx: sqlTx, stmts: s.stmts})
	})
}

// runTx runs fn in a write transaction of db, committed when fn returns nil
// and rolled back otherwise; fn's error is returned as it is. BEGIN takes
// the write lock (see dsn), so transactions of other processes queue.
func runTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	// A no-op after Commit. On an error or a panic in fn it frees the single
	// write connection, which would otherwise stay taken.
	defer sqlTx.Rollback()
	if err := fn(sqlTx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// reader runs the Store's own reads on the read pool. Each read is a single
// statement, which SQLite runs in its own implicit transaction.
func (s *Store) reader() *tx { return &tx{q: s.read} }

// querier is what *sql.Tx and *sql.DB have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx implements tickets.Tx on a write transaction, or on the read pool for
// the Store's reads.
type tx struct {
	q     querier
	sqlTx *sql.Tx // nil on the read pool
	stmts *statements
}

// exec runs a write, through the prepared statement ps when there is one.
func (t *tx) exec(ctx context.Context, ps *sql.Stmt, query string, args ...any) (sql.Result, error) {
	if t.sqlTx != nil && ps != nil {
		return t.sqlTx.StmtContext(ctx, ps).ExecContext(ctx, args...)
	}
	return t.q.ExecContext(ctx, query, args...)
}

// migrate applies the migrations in fsys that db has not seen, in one
// write transaction; see sqlstore.Migrate.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	d := &sqlstore.Dialect{
		Time: func(t time.Time) any { return t.UnixMicro() },
		CreateMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		) STRICT`,
	}
	return sqlstore.Migrate(ctx, func(ctx context.Context, fn func(sqlstore.Querier) error) error {
		return runTx(ctx, db, func(sqlTx *sql.Tx) error { return fn(sqlstore.NewSQL(sqlTx)) })
	}, fsys, d)
}

// dbTime is a time as stored: UTC microseconds, NULL for the zero time.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// timeCol scans a stored time into *t, in UTC.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("time column holds %T, not an integer", src)
	}
	return nil
}

// idCol scans a nullable reference into *id, 0 for NULL.
type idCol struct{ id *int64 }

// Scan implements sql.Scanner.
func (c idCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.id = 0
	case int64:
		*c.id = v
	default:
		return fmt.Errorf("id column holds %T, not an integer", src)
	}
	return nil
}

// dbID stores 0 as NULL, so a reference to no ticket passes the foreign key.
func dbID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// statements are the writes the bot makes for every ticket, prepared once
// on the write connection.
type statements struct {
	createTicket *sql.Stmt
	addEvent     *sql.Stmt
	enqueue      *sql.Stmt
}

// prepare prepares the hot-path statements.
func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	s := &statements{}
	for _, p := range []struct {
		st    **sql.Stmt
		query string
	}{
		{&s.createTicket, insertTicket},
		{&s.addEvent, insertEvent},
		{&s.enqueue, insertOutbox},
	} {
		st, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			s.close()
			return nil, err
		}
		*p.st = st
	}
	return s, nil
}

// close closes the prepared statements.
func (s *statements) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.createTicket, s.addEvent, s.enqueue} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// The Store and its transactions implement the domain interfaces.
var (
	_ tickets.Store = (*Store)(nil)
	_ tickets.Tx    = (*tx)(nil)
)
