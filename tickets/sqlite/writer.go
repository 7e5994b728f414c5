package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
)

// maxGroup bounds the write transactions committed together.
const maxGroup = 32

// writer runs the Store's write transactions (InTx) on its single write
// connection with group commit: the transactions waiting when the last
// commit ends run one after the other, each in a savepoint of one SQLite
// transaction, and are committed, flushed to disk, together. Under load
// a flush then serves many transactions instead of one each; alone, a
// transaction runs as before. Each caller is answered once the commit
// that holds its work is done, so "committed" still means on disk.
type writer struct {
	d     *sqlstore.Dialect
	db    *sql.DB
	stmts *sqlstore.Statements
	ops   chan *txOp
	stop  context.CancelFunc
	done  chan struct{} // closed when run has returned
}

// txOp is one InTx waiting for the writer.
type txOp struct {
	ctx  context.Context
	fn   func(tx tickets.Tx) error
	done chan txResult
}

// txResult is what became of a txOp: its error, or the value its fn
// panicked with, raised again in the caller.
type txResult struct {
	err      error
	panicked bool
	panic    any
}

// errWriterClosed is the error of a transaction after Close.
var errWriterClosed = errors.New("sqlite: the store is closed")

// newWriter starts the writer of db.
func newWriter(d *sqlstore.Dialect, db *sql.DB, stmts *sqlstore.Statements) *writer {
	w := &writer{d: d, db: db, stmts: stmts, ops: make(chan *txOp), done: make(chan struct{})}
	ctx, stop := context.WithCancel(context.Background())
	w.stop = stop
	go w.run(ctx)
	return w
}

// inTx runs fn in the next group and returns its outcome once that group
// is committed (or failed). It waits for fn even when ctx ends meanwhile:
// fn may be running, on the caller's variables; its statements see ctx
// done before they start and fail.
func (w *writer) inTx(ctx context.Context, fn func(tx tickets.Tx) error) error {
	op := &txOp{ctx: ctx, fn: fn, done: make(chan txResult, 1)}
	select {
	case w.ops <- op:
	case <-ctx.Done():
		return fmt.Errorf("sqlite: waiting for the write connection: %w", ctx.Err())
	case <-w.done:
		return errWriterClosed
	}
	r := <-op.done
	if r.panicked {
		panic(r.panic)
	}
	return r.err
}

// run commits the waiting transactions until ctx ends: it takes one, then
// every other already waiting (up to maxGroup), in the order they came.
func (w *writer) run(ctx context.Context) {
	defer close(w.done)
	batch := make([]*txOp, 0, maxGroup)
	for {
		var ok bool
		if batch, ok = takeWaiting(ctx, w.ops, batch, maxGroup); !ok {
			return
		}
		w.commit(batch)
	}
}

// commit runs batch in one transaction, each op in a savepoint: an op's
// error or panic undoes its own work only; a failed commit fails every op
// that had succeeded. The statements run on a context of their own (see
// sqlstore.NewSQLTxOn): a batch taken is finished even while the store
// closes.
func (w *writer) commit(batch []*txOp) {
	ctx := context.Background()
	results := make([]txResult, len(batch))
	err := runTx(ctx, w.db, func(sqlTx *sql.Tx) error {
		tx := sqlstore.NewTx(w.d, sqlstore.NewSQLTxOn(ctx, sqlTx, w.stmts))
		for i, op := range batch {
			if err := op.ctx.Err(); err != nil {
				results[i].err = fmt.Errorf("sqlite: %w", err)
				continue
			}
			r, err := runSavepoint(ctx, sqlTx, tx, op.fn)
			if err != nil {
				return err // the transaction itself is broken: all fail
			}
			results[i] = r
		}
		return nil
	})
	if err != nil {
		for i := range results {
			if results[i].err == nil && !results[i].panicked {
				results[i].err = err
			}
		}
	}
	// The connection is free: prepare what the transactions ran for the
	// first time, so the next ones skip parsing it.
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	w.stmts.PreparePending(pctx)
	cancel()
	for i, op := range batch {
		op.done <- results[i]
	}
}

// runSavepoint runs fn in a savepoint of sqlTx, rolled back to when fn
// fails or panics. err is set when the savepoint itself fails.
func runSavepoint(ctx context.Context, sqlTx *sql.Tx, tx tickets.Tx, fn func(tickets.Tx) error) (r txResult, err error) {
	if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
		return r, fmt.Errorf("sqlite: savepoint: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			r = txResult{panicked: true, panic: v}
		}
		if r.err != nil || r.panicked {
			if _, rerr := sqlTx.ExecContext(ctx, "ROLLBACK TO op"); rerr != nil {
				err = fmt.Errorf("sqlite: rollback to savepoint: %w", rerr)
				return
			}
		}
		if _, rerr := sqlTx.ExecContext(ctx, "RELEASE op"); rerr != nil {
			err = fmt.Errorf("sqlite: release savepoint: %w", rerr)
		}
	}()
	r.err = fn(tx)
	return r, nil
}

// close stops the writer once the batch it took is committed.
func (w *writer) close() {
	w.stop()
	<-w.done
}
