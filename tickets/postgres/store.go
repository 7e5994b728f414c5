// Package postgres is the tickets.Store and kb.Store on PostgreSQL, through
// pgx and its connection pool: the database that several replicas of the
// help desk share.
//
// Times are stored as timestamptz and read back in UTC, truncated to the
// microsecond, as the SQLite store keeps them.
//
// What the two stores do alike, their statements and the migration runner,
// is written once in tickets/internal/sqlstore; this package holds the
// connection pool, the transactions and what PostgreSQL does its own way
// (its Dialect and migrations).
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
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
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

// DefaultTimeouts are the session settings every connection gets unless
// the URL sets them. A session idle inside a transaction for 10 s (a
// replica stalled, paused or cut off while holding the write lock) is
// ended by the server, which rolls its transaction back and frees the
// lock; a transaction waiting 15 s for a lock fails ("the database is
// busy" to the person, a lock_timeout error in the log) instead of
// queueing for ever. The bot's transactions make no model or platform
// call inside them, so neither fires while things are well: the idle
// timeout is the shorter, so writers queued behind a stalled replica get
// the lock before their own wait runs out.
var DefaultTimeouts = map[string]string{
	"idle_in_transaction_session_timeout": "10s",
	"lock_timeout":                        "15s",
}

// Store is the tickets.Store and kb.Store on one PostgreSQL database. It
// is safe for concurrent use, and several processes may share the database.
type Store struct {
	// Store holds every method but InTx and Close; see sqlstore.
	sqlstore.Store
	d    *sqlstore.Dialect
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
	// A replica that stalls holding the write lock must not stop every
	// write on every replica for as long as it stays stalled: see
	// DefaultTimeouts. The URL may set either (?lock_timeout=30s).
	for name, value := range DefaultTimeouts {
		if _, set := cfg.ConnConfig.RuntimeParams[name]; !set {
			cfg.ConnConfig.RuntimeParams[name] = value
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s := &Store{d: dialect(), pool: pool, writer: make(chan struct{}, 1)}
	if err := migrate(ctx, pool, migrationFiles, s.d); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// Statements outside InTx each run on their own, reads and writes alike.
	s.Store = sqlstore.NewStore(s.d, querier{pool}, querier{pool}, s.InTx)
	return s, nil
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
	return runTx(ctx, s.pool, writerLock, func(pgTx pgx.Tx) error {
		return fn(sqlstore.NewTx(s.d, querier{pgTx}))
	})
}

// beginner starts transactions: the pool, or one connection of it.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// runTx runs fn in a transaction of db that first takes the advisory lock
// lock, committed when fn returns nil and rolled back otherwise (a panic
// too); fn's error is returned as it is.
func runTx(ctx context.Context, db beginner, lock int64, fn func(pgx.Tx) error) error {
	pgTx, err := db.Begin(ctx)
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
	if _, err := pgTx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lock); err != nil {
		if isLockTimeout(err) {
			return fmt.Errorf("postgres: lock: another session held the write lock longer than lock_timeout (a stalled replica?): %w", err)
		}
		return fmt.Errorf("postgres: lock: %w", err)
	}
	if err := fn(pgTx); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// migrate applies the migrations in fsys that the database has not seen,
// in one transaction under an advisory lock, so replicas starting together
// apply each once; see sqlstore.Migrate.
func migrate(ctx context.Context, db beginner, fsys fs.FS, d *sqlstore.Dialect) error {
	return sqlstore.Migrate(ctx, func(ctx context.Context, fn func(sqlstore.Querier) error) error {
		return runTx(ctx, db, migrateLock, func(pgTx pgx.Tx) error { return fn(querier{pgTx}) })
	}, fsys, d)
}

// pgxQuerier is what pgx.Tx, *pgxpool.Pool and *pgxpool.Conn have in common.
type pgxQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// querier is pgx as a sqlstore.Querier.
type querier struct{ q pgxQuerier }

// Exec implements sqlstore.Querier.
func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

// Insert implements sqlstore.Querier.
func (q querier) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := q.q.QueryRow(ctx, query, args...).Scan(&id)
	return id, err
}

// QueryRow implements sqlstore.Querier.
func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return q.q.QueryRow(ctx, query, args...)
}

// Query implements sqlstore.Querier.
func (q querier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	return q.q.Query(ctx, query, args...)
}

// dialect is how PostgreSQL stores what the shared store code writes:
// times as timestamptz, days as date, flags as text[]. A statement that
// fails aborts the whole transaction here, so events and outbox messages
// about a missing ticket are inserted only when it exists (they return no
// row) instead of failing on the foreign key.
func dialect() *sqlstore.Dialect {
	return &sqlstore.Dialect{
		Name: "postgres",
		Time: func(t time.Time) any { return sqlstore.Stored(t) },
		Day: func(t time.Time) any {
			t = t.UTC()
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		},
		Flags: func(flags []string) any {
			if flags == nil {
				return []string{} // the column is NOT NULL; pgx sends a nil slice as NULL
			}
			return flags
		},
		ScanFlags:    func(dst *[]string) any { return dst },
		IsForeignKey: isForeignKey,
		CreateMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER     PRIMARY KEY,
			name       TEXT        NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL
		)`,
		// Tickets are never deleted, so the check cannot go stale.
		InsertEvent: `INSERT INTO events (ticket_id, at, actor, kind, field, before_value, after_value, text)
			SELECT $1::bigint, $2::timestamptz, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text
			WHERE EXISTS (SELECT 1 FROM tickets WHERE id = $1)
			RETURNING id`,
		InsertOutbox: `INSERT INTO outbox (key, to_platform, to_channel_id, to_thread_id, user_id, ticket_id,
			text, buttons, created_at, next_attempt, edit_key, thread_key, lane, mentions)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint,
				$7::text, $8::jsonb, $9::timestamptz, $10::timestamptz, $11::text, $12::text, $13::text, $14::text
			WHERE $6::bigint IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE id = $6)
			ON CONFLICT (key) DO NOTHING
			RETURNING id`,
		MajorOnly: "major",
		FieldText: func(key string) string { return `COALESCE(fields->>'` + key + `', '')` },
		ByteOrder: ` COLLATE "C"`,
	}
}

// isLockTimeout reports whether err is a lock wait that ran out
// (lock_not_available).
func isLockTimeout(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "55P03"
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var e *pgconn.PgError
	return err != nil && errors.As(err, &e) && e.Code == "23503"
}

// The Store implements the domain interfaces.
var (
	_ tickets.Store = (*Store)(nil)
	_ kb.Store      = (*Store)(nil)
)
