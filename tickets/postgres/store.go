// Package postgres is the tickets.Store and kb.Store on PostgreSQL, through
// pgx and its connection pool: the database that several replicas of the
// help desk share.
//
// Times are stored as timestamptz and read back in UTC, truncated to the
// microsecond, as the SQLite store keeps them.
//
// # Transactions
//
// InTx runs at READ COMMITTED and first takes a transaction-scoped advisory
// lock, the same one in every replica: write transactions commit one at a
// time across the whole deployment, as they do on SQLite's single writer.
// That was chosen over SERIALIZABLE with retries because the bot's
// transactions load a conversation, think (possibly asking an LLM) and
// write; with retries fn would have to be safe to run twice, and under load
// the conflicts of FindTickets' predicate locks make retries frequent. With
// the lock, fn runs exactly once, reads what the last writer committed and
// never fails with a serialization error. Reads outside InTx, outbox
// delivery (ClaimOutbox, MarkSent, MarkFailed, MarkDead) and ForgetEvents
// are single statements that do not take the lock and run in parallel.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// migrationFiles holds the schema changes, applied in the order of their
// number. A released migration is never edited; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Advisory lock keys, per database: one for applying migrations, one for
// write transactions. The values spell "hdmigrat" and "hdwriter".
const (
	migrateLock int64 = 0x68646d6967726174
	writerLock  int64 = 0x6864777269746572
)

// Store is the tickets.Store on one PostgreSQL database. It is safe for
// concurrent use, and several processes may share the database.
type Store struct {
	pool *pgxpool.Pool
	// writer queues this process's write transactions before they take a
	// pooled connection, so transactions waiting for the database-wide
	// writer lock never hold every connection while reads wait for one.
	writer chan struct{}
}

// Open connects to the database at url (postgres://user:pass@host/db?...,
// or any connection string pgx accepts) and applies any pending migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The error may quote the URL, password included.
		return nil, errors.New("postgres: open: the database URL does not parse")
	}
	// Sessions in UTC, so times read the same in psql as in the bot.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "helpdesk"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := migrate(ctx, pool, migrationFiles); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return &Store{pool: pool, writer: make(chan struct{}, 1)}, nil
}

// Close closes the store's connections, waiting for those in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// InTx runs fn in one write transaction, committed when fn returns nil and
// rolled back otherwise (a panic too); fn's error is returned as it is.
// Write transactions of every process sharing the database run one at a
// time (see the package documentation), so fn must use the tickets.Tx it
// is given: a write through the Store itself would wait for this one.
func (s *Store) InTx(ctx context.Context, fn func(tx tickets.Tx) error) error {
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("postgres: begin: %w", ctx.Err())
	}
	defer func() { <-s.writer }()

	pgTx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// A no-op after Commit. It runs even when ctx is done, so the
	// connection goes back to the pool clean.
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = pgTx.Rollback(rctx)
	}()
	if _, err := pgTx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writerLock); err != nil {
		return fmt.Errorf("postgres: writer lock: %w", err)
	}
	if err := fn(&tx{q: pgTx}); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// reader runs the Store's own reads on the pool, each statement on its own.
func (s *Store) reader() *tx { return &tx{q: s.pool} }

// querier is what pgx.Tx and *pgxpool.Pool have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// tx implements tickets.Tx on a write transaction, or on the pool for the
// Store's reads.
type tx struct {
	q querier
}

// beginner starts transactions: the pool, or one connection of it.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql from fsys in version order.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations in fsys that the database has not seen, in
// one transaction under an advisory lock, so replicas starting together
// apply each once: the second waits, then finds nothing to do. It refuses
// a database that a newer build has migrated past what this build knows.
func migrate(ctx context.Context, db beginner, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	pgTx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer pgTx.Rollback(context.WithoutCancel(ctx))
	if _, err := pgTx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := pgTx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER     PRIMARY KEY,
		name       TEXT        NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := pgTx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("migrate: database schema is at version %d but this build knows only up to %d; "+
			"it was used by a newer helpdesk, so run that version or restore a backup", current, len(ms))
	}
	for _, m := range ms[current:] {
		// No arguments: pgx sends it as a simple query, several
		// statements in one.
		if _, err := pgTx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if _, err := pgTx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`,
			m.version, m.name); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// dbTime is a time as stored: UTC truncated to the microsecond, NULL for
// the zero time.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return stored(t)
}

// stored is t as it reads back from the database.
func stored(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// timeCol scans a stored time into *t, in UTC; NULL is the zero time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner, which pgx calls for timestamptz.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("time column holds %T, not a time", src)
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

// dbID stores 0 as NULL, a reference to no ticket.
func dbID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23503"
}

// ticketExists reports whether ticket id is stored. Tickets are never
// deleted, so the answer holds for the rest of the transaction; checking
// first keeps a missing ticket from failing a statement, which would abort
// the whole PostgreSQL transaction where SQLite lets it go on.
func (t *tx) ticketExists(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1)`, id).Scan(&ok)
	return ok, err
}

// The Store and its transactions implement the domain interfaces.
var (
	_ tickets.Store = (*Store)(nil)
	_ tickets.Tx    = (*tx)(nil)
)
