package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
)

// The inbox (tickets.Inbox) lives in a database file of its own beside the
// main one, with its own single writer, and every write to it is group
// committed. Recording an event is what a platform's acknowledgement waits
// for; in the main file it queued on SQLite's one writer behind the desk's
// ticket transactions (issue 15: p99 up to 1.5 s at a burst), and each
// record, claim and finish was a commit and a flush of its own.

// inboxFiles holds the inbox file's schema, applied like the main
// database's (see migrationFiles), under inboxdb/migrations.
//
//go:embed inboxdb/migrations/*.sql
var inboxFiles embed.FS

// maxInboxBatch bounds the inbox writes committed together.
const maxInboxBatch = 256

// InboxPath is the inbox's file for the database at path: beside it, its
// name with "-inbox" before the extension (data/helpdesk.db →
// data/helpdesk-inbox.db).
func InboxPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-inbox" + ext
}

// inboxDB is the inbox file: one connection, written only by run, which
// commits every write waiting at once in one transaction (group commit),
// so a burst of events costs one flush to disk, not one each.
type inboxDB struct {
	d     *sqlstore.Dialect
	db    *sql.DB
	stmts *sqlstore.Statements
	ops   chan *inboxOp
	stop  context.CancelFunc
	done  chan struct{} // closed when run has returned
}

// inboxOp is one write waiting for the next commit: fn runs in the
// transaction on the inbox's statements; err receives its outcome once the
// transaction has committed (or failed).
type inboxOp struct {
	ctx context.Context
	fn  func(ctx context.Context, s *sqlstore.Store) error
	err chan error
}

// openInbox opens (creating and migrating) the inbox file at path, moves
// into it the events an earlier release recorded in main's inbox table,
// and starts its writer.
func openInbox(ctx context.Context, path, mainPath, sync string) (*inboxDB, error) {
	ib := &inboxDB{d: dialect(), ops: make(chan *inboxOp), done: make(chan struct{})}
	var err error
	if ib.db, err = sql.Open("sqlite", dsn(path, true, sync)); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	ib.db.SetMaxOpenConns(1)
	ib.db.SetMaxIdleConns(1)
	files, err := fs.Sub(inboxFiles, "inboxdb")
	if err != nil {
		ib.db.Close()
		return nil, fmt.Errorf("inbox: %w", err)
	}
	if err := migrate(ctx, ib.db, files, ib.d); err != nil {
		ib.db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	if err := moveInbox(ctx, ib.db, mainPath); err != nil {
		ib.db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	if ib.stmts, err = sqlstore.PrepareStatements(ctx, ib.db, nil); err != nil {
		ib.db.Close()
		return nil, fmt.Errorf("inbox: %w", err)
	}
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	ib.stop = stop
	go ib.run(run)
	return ib, nil
}

// moveInbox moves the events of the main database's inbox table (where
// releases before the inbox file recorded them) into the inbox file: the
// unhandled ones to be handled, the handled ones to recognise
// redeliveries. Both files change in one transaction; a key already
// moved is skipped, so a move cut short is finished by the next start.
func moveInbox(ctx context.Context, db *sql.DB, mainPath string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS desk`, mainPath); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE desk`)
	var waiting bool
	err = conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM desk.sqlite_schema WHERE type = 'table' AND name = 'inbox')
		AND EXISTS (SELECT 1 FROM desk.inbox)`).Scan(&waiting)
	if err != nil || !waiting {
		if err != nil {
			return fmt.Errorf("move inbox: %w", err)
		}
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.inbox (key, kind, lane, payload, received_at, attempts, handled_at)
		SELECT key, kind, lane, payload, received_at, attempts, handled_at FROM desk.inbox WHERE true ORDER BY id
		ON CONFLICT (key) DO NOTHING`); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM desk.inbox`); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	return nil
}

// run commits the waiting writes until ctx ends: it takes one, then every
// other already waiting (up to maxInboxBatch), and runs them all in one
// transaction.
func (ib *inboxDB) run(ctx context.Context) {
	defer close(ib.done)
	batch := make([]*inboxOp, 0, maxInboxBatch)
	for {
		var ok bool
		if batch, ok = takeWaiting(ctx, ib.ops, batch, maxInboxBatch); !ok {
			return
		}
		ib.commit(ctx, batch)
	}
}

// commit runs batch in one transaction. Each write runs on ctx, not its
// caller's: interrupting a statement would roll back the whole
// transaction, the others' writes with it. A write whose caller gave up
// already is skipped. A write's own error (a key missing, say) undoes only
// that statement; a failed commit fails every write of the batch.
func (ib *inboxDB) commit(ctx context.Context, batch []*inboxOp) {
	errs := make([]error, len(batch))
	err := runTx(ctx, ib.db, func(tx *sql.Tx) error {
		q := sqlstore.NewSQLTx(tx, ib.stmts)
		s := sqlstore.NewStore(ib.d, q, q, nil)
		for i, op := range batch {
			if err := op.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			errs[i] = op.fn(ctx, &s)
		}
		return nil
	})
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	ib.stmts.PreparePending(pctx)
	cancel()
	for i, op := range batch {
		if err != nil {
			errs[i] = err
		}
		op.err <- errs[i]
	}
}

// errInboxClosed is the error of a write after Close.
var errInboxClosed = errors.New("sqlite: inbox: closed")

// write runs fn in the next commit and returns its error once that commit
// is on disk (as the file's synchronous setting puts it there).
func (ib *inboxDB) write(ctx context.Context, fn func(ctx context.Context, s *sqlstore.Store) error) error {
	op := &inboxOp{ctx: ctx, fn: fn, err: make(chan error, 1)}
	select {
	case ib.ops <- op:
	case <-ctx.Done():
		return fmt.Errorf("sqlite: inbox: %w", ctx.Err())
	case <-ib.done:
		return errInboxClosed
	}
	select {
	case err := <-op.err:
		return err
	case <-ctx.Done():
		// The write may still commit: a recorded event that was not
		// acknowledged comes again, and is recognised by its key.
		return fmt.Errorf("sqlite: inbox: %w", ctx.Err())
	case <-ib.done:
		return errInboxClosed
	}
}

// close stops the writer once the writes it took are committed, and
// closes the file.
func (ib *inboxDB) close() error {
	ib.stop()
	<-ib.done
	return errors.Join(ib.stmts.Close(), ib.db.Close())
}

// RecordInbound stores e in the inbox file unless its key was recorded
// before (first is false then); it returns once the record is committed.
//
// The writes' results are read only once write returned their error: a
// caller that gave up (ctx done) returns at once while the writer may
// still run its write, which must then touch nothing the caller reads.
func (s *Store) RecordInbound(ctx context.Context, e *tickets.InboundEvent) (bool, error) {
	var first bool
	if err := s.inbox.write(ctx, func(ctx context.Context, st *sqlstore.Store) error {
		var err error
		first, err = st.RecordInbound(ctx, e)
		return err
	}); err != nil {
		return false, err
	}
	return first, nil
}

// ClaimInbound takes up to limit unhandled events from the inbox file,
// each first in its lane; see tickets.Inbox.
func (s *Store) ClaimInbound(ctx context.Context, now, until time.Time, limit int) ([]*tickets.InboundEvent, error) {
	var es []*tickets.InboundEvent
	if err := s.inbox.write(ctx, func(ctx context.Context, st *sqlstore.Store) error {
		var err error
		es, err = st.ClaimInbound(ctx, now, until, limit)
		return err
	}); err != nil {
		return nil, err
	}
	return es, nil
}

// ReleaseInbound gives up the claim on unhandled event id.
func (s *Store) ReleaseInbound(ctx context.Context, id int64) error {
	return s.inbox.write(ctx, func(ctx context.Context, st *sqlstore.Store) error {
		return st.ReleaseInbound(ctx, id)
	})
}

// FinishInbound records event id as handled and drops its payload.
func (s *Store) FinishInbound(ctx context.Context, id int64, at time.Time) error {
	return s.inbox.write(ctx, func(ctx context.Context, st *sqlstore.Store) error {
		return st.FinishInbound(ctx, id, at)
	})
}

// ForgetEvents drops the seen-event records older than before, in the
// main file and in the inbox file.
func (s *Store) ForgetEvents(ctx context.Context, before time.Time) (int, error) {
	n, err := s.Store.ForgetEvents(ctx, before)
	if err != nil {
		return n, err
	}
	var m int64
	if err := s.inbox.write(ctx, func(ctx context.Context, st *sqlstore.Store) error {
		var err error
		m, err = st.ForgetInbound(ctx, before)
		return err
	}); err != nil {
		return n, err
	}
	return n + int(m), nil
}
