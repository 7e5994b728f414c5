// Package sqlite is the tickets.Store on SQLite, through the pure-Go
// modernc.org/sqlite driver: the embedded default database of the help desk.
//
// Times are stored in UTC as microseconds since the Unix epoch, so they read
// back in UTC truncated to the microsecond, as PostgreSQL would keep them.
//
// What the two stores do alike, their statements and the migration runner,
// is written once in tickets/internal/sqlstore; this package holds the
// connections, the transactions and what SQLite does its own way (its
// Dialect and migrations).
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

	"github.com/helpdesk-bot/helpdesk/kb"
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

// Store is the tickets.Store and kb.Store on one SQLite database file, and
// its inbox (tickets.Inbox) on a second file beside it (InboxPath). It is
// safe for concurrent use.
type Store struct {
	// Store holds every method but InTx and Close; see sqlstore.
	sqlstore.Store
	d *sqlstore.Dialect
	// write has a single connection. SQLite admits one writer at a time
	// anyway; queueing writers in database/sql wakes the next one as soon as
	// the lock is free, where SQLite's busy handler sleeps and polls, and no
	// writer ever fails with SQLITE_BUSY because of another in this process.
	write *sql.DB
	// read serves the Store's own reads. In WAL mode readers never wait for
	// the writer, so a slow InTx does not stall queue views.
	read *sql.DB
	// stmts are the statements prepared on the write connection: those
	// made for every ticket (sqlstore's Hot) at open, every other the
	// first time it runs; readStmts those prepared on the read pool.
	stmts, readStmts *sqlstore.Statements
	// inbox is the inbox's own file (see InboxPath): the Store's
	// tickets.Inbox methods run there.
	inbox *inboxDB
	// writer runs InTx's transactions on write, committing those that
	// wait together (group commit).
	writer *writer
}

// Options are the choices Open leaves at their defaults.
type Options struct {
	// Synchronous is how each commit reaches the disk: "full" (the
	// default) flushes the WAL at every commit, so a committed ticket
	// survives a power cut or an OS crash; "normal" flushes only at
	// checkpoints, which a crash of the process survives too, but a power
	// cut can roll back the last commits (those since the last checkpoint,
	// up to about 1,000 pages of WAL: seconds to minutes of work).
	Synchronous string
}

// Synchronous settings Options accepts.
const (
	SyncFull   = "full"
	SyncNormal = "normal"
)

// Open opens the database at path with the default Options, creating the
// file and its directory if needed, and applies any pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with o.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	sync := strings.ToLower(o.Synchronous)
	switch sync {
	case "":
		sync = SyncFull
	case SyncFull, SyncNormal:
	default:
		return nil, fmt.Errorf("sqlite: open: synchronous %q is not full or normal", o.Synchronous)
	}
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

	s := &Store{d: dialect()}
	s.write, err = sql.Open("sqlite", dsn(abs, true, sync))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	if err := migrate(ctx, s.write, migrationFiles, s.d); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}

	s.read, err = sql.Open("sqlite", dsn(abs, false, sync))
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

	if s.stmts, err = sqlstore.PrepareStatements(ctx, s.write, s.d.Hot()); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	if s.readStmts, err = sqlstore.PrepareStatements(ctx, s.read, nil); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	s.writer = newWriter(s.d, s.write, s.stmts)
	if s.inbox, err = openInbox(ctx, InboxPath(abs), abs, sync); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	s.Store = sqlstore.NewStore(s.d, sqlstore.NewSQL(s.read, s.readStmts), sqlstore.NewSQL(s.write, s.stmts), s.InTx)
	return s, nil
}

// dsn builds the data source name for modernc.org/sqlite. The driver runs
// each _pragma value as "PRAGMA <value>" on every new connection and begins
// non-read-only transactions with "BEGIN <_txlock>" (see the driver's Open
// documentation). The file: form lets a path hold '?' or '#'.
func dsn(abs string, writer bool, sync string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	// With WAL, synchronous=FULL flushes the WAL at every commit, so what
	// the bot told someone is stored survives a power cut; NORMAL flushes
	// at checkpoints only (see Options). Either way the database stays
	// consistent and a crash of the process loses nothing committed.
	q.Add("_pragma", "synchronous("+strings.ToUpper(sync)+")")
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
	if s.inbox != nil {
		errs = append(errs, s.inbox.close())
	}
	if s.writer != nil {
		s.writer.close()
	}
	for _, st := range []*sqlstore.Statements{s.stmts, s.readStmts} {
		if st != nil {
			errs = append(errs, st.Close())
		}
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
	return s.writer.inTx(ctx, fn)
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

// migrate applies the migrations in fsys that db has not seen, in one
// write transaction; see sqlstore.Migrate.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, d *sqlstore.Dialect) error {
	return sqlstore.Migrate(ctx, migrationTx(db), fsys, d)
}

// migrationTx runs a migration's work in a write transaction of db.
func migrationTx(db *sql.DB) func(ctx context.Context, fn func(sqlstore.Querier) error) error {
	return func(ctx context.Context, fn func(sqlstore.Querier) error) error {
		return runTx(ctx, db, func(sqlTx *sql.Tx) error { return fn(sqlstore.NewSQL(sqlTx, nil)) })
	}
}

// Schema is a database's schema against this build's, as Probe finds it.
type Schema = sqlstore.Schema

// Probe says what Open would do with the database at path, and does none
// of it: it writes a row, applies the pending migrations and rolls both
// back (see Schema), so a read-only file or a migration that fails shows
// before a start does. An error is what Open would refuse with. A file
// that does not exist is not created: Probe checks that it could be, and
// every migration is pending.
func Probe(ctx context.Context, path string) (Schema, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return Schema{}, fmt.Errorf("sqlite: probe: %q is not a file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Schema{}, fmt.Errorf("sqlite: probe: %w", err)
	}
	if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		ms, err := sqlstore.LoadMigrations(migrationFiles)
		if err != nil {
			return Schema{}, fmt.Errorf("sqlite: probe: %w", err)
		}
		s := Schema{Latest: len(ms), Writes: canCreate(filepath.Dir(abs))}
		for _, m := range ms {
			s.Pending = append(s.Pending, m.Name)
		}
		return s, nil
	}
	db, err := sql.Open("sqlite", dsn(abs, true, SyncFull))
	if err != nil {
		return Schema{}, fmt.Errorf("sqlite: probe: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	s, err := sqlstore.Probe(ctx, migrationTx(db), migrationFiles, dialect())
	if err != nil {
		return s, fmt.Errorf("sqlite: %s: %w", abs, err)
	}
	return s, nil
}

// canCreate is nil when a file can be created in dir, or in the nearest
// of its parents that exists (Open creates the rest).
func canCreate(dir string) error {
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	f, err := os.CreateTemp(dir, ".helpdesk-probe-*")
	if err != nil {
		return fmt.Errorf("cannot create the database in %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// dialect is how SQLite stores what the shared store code writes: times as
// INTEGER microseconds since the Unix epoch (see the package
// documentation), flags as one comma-separated TEXT, and events and outbox
// messages about missing tickets refused by the foreign keys.
func dialect() *sqlstore.Dialect {
	return &sqlstore.Dialect{
		Name:         "sqlite",
		Time:         func(t time.Time) any { return t.UnixMicro() },
		Day:          day,
		Flags:        func(flags []string) any { return strings.Join(flags, ",") },
		ScanFlags:    func(dst *[]string) any { return flagsCol{dst} },
		IsForeignKey: isForeignKey,
		CreateMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		) STRICT`,
		InsertEvent: `INSERT INTO events (ticket_id, at, actor, kind, field, before_value, after_value, text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			RETURNING id`,
		InsertOutbox: `INSERT INTO outbox (key, to_platform, to_channel_id, to_thread_id, user_id, ticket_id,
			text, buttons, created_at, next_attempt, edit_key, thread_key, lane, mentions)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (key) DO NOTHING
			RETURNING id`,
		// The partial index tickets_major is WHERE major = 1, and SQLite
		// uses it only for that very condition.
		MajorOnly: "major = 1",
		FieldText: func(key string) string { return `COALESCE(json_extract(fields, '$.` + key + `'), '')` },
		ByteOrder: "", // SQLite compares text by bytes unless told otherwise
	}
}

// day is the UTC midnight of t's day, as stored: microseconds.
func day(t time.Time) any {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMicro()
}

// flagsCol scans the comma-separated flags column into *f, nil for none.
type flagsCol struct{ f *[]string }

// Scan implements sql.Scanner.
func (c flagsCol) Scan(src any) error {
	v, ok := src.(string)
	if !ok {
		return fmt.Errorf("flags column holds %T, not text", src)
	}
	*c.f = nil
	if v != "" {
		*c.f = strings.Split(v, ",")
	}
	return nil
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var e *sqlite.Error
	return err != nil && errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// The Store implements the domain interfaces.
var (
	_ tickets.Store = (*Store)(nil)
	_ kb.Store      = (*Store)(nil)
)
