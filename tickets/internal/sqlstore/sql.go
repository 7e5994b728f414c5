package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
)

// sqlQuerier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// SQL is a Querier on database/sql, for SQLite: it runs each statement with
// ? placeholders (see Statements).
type SQL struct {
	q     sqlQuerier
	tx    *sql.Tx // nil outside a transaction
	stmts *Statements
	// on, when set, is the context every statement runs on, whatever
	// context its caller passed (see NewSQLTxOn).
	on context.Context
}

// NewSQL runs statements on db, a *sql.DB or *sql.Conn, or a *sql.Tx that
// uses no prepared statement; stmts may be nil, and when not are the
// Statements of db.
func NewSQL(db sqlQuerier, stmts *Statements) *SQL { return &SQL{q: db, stmts: stmts} }

// NewSQLTx runs statements in tx, those that stmts prepared on tx's
// database through their prepared form.
func NewSQLTx(tx *sql.Tx, stmts *Statements) *SQL { return &SQL{q: tx, tx: tx, stmts: stmts} }

// NewSQLTxOn is NewSQLTx for a transaction several callers share (group
// commit): every statement runs on ctx, not on its caller's context, for
// SQLite rolls back the whole transaction when a write statement is
// interrupted, the other callers' work with it. A caller whose context
// is done gets its error before a statement starts, never during one.
func NewSQLTxOn(ctx context.Context, tx *sql.Tx, stmts *Statements) *SQL {
	return &SQL{q: tx, tx: tx, stmts: stmts, on: ctx}
}

// ctxFor is the context a statement of the caller's ctx runs on.
func (s *SQL) ctxFor(ctx context.Context) (context.Context, error) {
	if s.on == nil {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.on, nil
}

// errRow is a Row whose Scan returns err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// Statements are what a store on database/sql keeps of the statements it
// runs: their text with ? placeholders, and the prepared ones. It is safe
// for concurrent use.
//
// modernc.org/sqlite binds $N by number, but looks up each parameter's
// name to do so: an allocation a parameter, 53 for a new ticket. A bare ?
// has no name.
type Statements struct {
	// positional maps a query as written to the text run. The queries are
	// the store's own, FindTickets' built from a few filter shapes, so it
	// stays small.
	positional sync.Map
	// db is where statements are prepared; nil prepares none.
	db *sql.DB
	// prepared holds each statement prepared on db, by the query as
	// written: every one the store runs, since parsing a statement costs
	// more than running most of them (issue 16: 12.5 % of the CPU of a
	// storm re-parsed SetTimers, Events and FindTickets).
	prepared sync.Map
	// pending are queries first run inside a transaction, to prepare once
	// it ends (PreparePending): preparing needs a connection of db, which
	// the transaction may hold, SQLite's writer having just one.
	pending sync.Map
	count   atomic.Int32
}

// maxPrepared bounds the statements kept prepared. The store's queries
// are a few dozen; FindTickets' shapes add some. A statement beyond it
// runs unprepared.
const maxPrepared = 512

// PrepareStatements returns the Statements of db with queries prepared at
// once, so a mistake in one fails at open; every other statement is
// prepared the first time it runs.
func PrepareStatements(ctx context.Context, db *sql.DB, queries []string) (*Statements, error) {
	st := &Statements{db: db}
	for _, q := range queries {
		if _, err := st.prepare(ctx, q); err != nil {
			st.Close()
			return nil, err
		}
	}
	return st, nil
}

// prepare prepares query on db, once.
func (st *Statements) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := st.prepared.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	if st.count.Load() >= maxPrepared {
		return nil, nil
	}
	ps, err := st.db.PrepareContext(ctx, st.text(query))
	if err != nil {
		return nil, err
	}
	if v, loaded := st.prepared.LoadOrStore(query, ps); loaded {
		ps.Close() // prepared by another goroutine meanwhile
		return v.(*sql.Stmt), nil
	}
	st.count.Add(1)
	return ps, nil
}

// PreparePending prepares the queries first run in a transaction. Call it
// once the transaction has ended. A query that fails to prepare is left
// to fail where it runs, with its own error.
func (st *Statements) PreparePending(ctx context.Context) {
	if st == nil || st.db == nil {
		return
	}
	st.pending.Range(func(k, _ any) bool {
		st.pending.Delete(k)
		_, _ = st.prepare(ctx, k.(string))
		return true
	})
}

// Close closes the prepared statements.
func (st *Statements) Close() error {
	var errs []error
	st.prepared.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(errs...)
}

// text is query as run: with ? placeholders.
func (st *Statements) text(query string) string {
	if st == nil {
		return query
	}
	if v, ok := st.positional.Load(query); ok {
		return v.(string)
	}
	p := Positional(query)
	st.positional.Store(query, p)
	return p
}

// Positional is query with each $N placeholder written as ?, or as ?N
// where a bare ? would not be number N (SQLite numbers a bare ? one above
// the largest number before it), so that it binds as query does. Quoted
// text is left alone.
func Positional(query string) string {
	if !strings.Contains(query, "$") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query))
	top := 0 // the largest parameter number so far
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case c == '$' && (i == 0 || !isWord(query[i-1])) && i+1 < len(query) && isDigit(query[i+1]):
			j := i + 1
			n := 0
			for ; j < len(query) && isDigit(query[j]); j++ {
				n = n*10 + int(query[j]-'0')
			}
			if n == top+1 {
				b.WriteByte('?')
			} else {
				b.WriteString("?" + query[i+1:j])
			}
			top = max(top, n)
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWord reports whether c may be part of an identifier, which a $ in it
// then is too.
func isWord(c byte) bool { return c == '_' || isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' }

// stmt returns the prepared form of query, or nil to run it as text. In
// a transaction a query not yet prepared runs as text and is prepared
// when the transaction ends; outside one it is prepared now.
func (s *SQL) stmt(ctx context.Context, query string) *sql.Stmt {
	st := s.stmts
	if st == nil || st.db == nil {
		return nil
	}
	if s.tx == nil {
		ps, _ := st.prepare(ctx, query)
		return ps
	}
	if v, ok := st.prepared.Load(query); ok {
		return s.tx.StmtContext(ctx, v.(*sql.Stmt))
	}
	st.pending.Store(query, struct{}{})
	return nil
}

// exec runs a statement, through its prepared form when there is one.
func (s *SQL) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, err := s.ctxFor(ctx)
	if err != nil {
		return nil, err
	}
	if st := s.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.q.ExecContext(ctx, s.stmts.text(query), args...)
}

// Exec implements Querier.
func (s *SQL) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Insert implements Querier. The statement runs as an Exec (its RETURNING
// rows unread) and the ID comes from LastInsertId, which database/sql
// hands over without the machinery of reading a result: a dozen
// allocations a statement.
func (s *SQL) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, sql.ErrNoRows
	}
	return res.LastInsertId()
}

// QueryRow implements Querier.
func (s *SQL) QueryRow(ctx context.Context, query string, args ...any) Row {
	ctx, err := s.ctxFor(ctx)
	if err != nil {
		return errRow{err}
	}
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.q.QueryRowContext(ctx, s.stmts.text(query), args...)
}

// Query implements Querier.
func (s *SQL) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	ctx, err := s.ctxFor(ctx)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if ps := s.stmt(ctx, query); ps != nil {
		rows, err = ps.QueryContext(ctx, args...)
	} else {
		rows, err = s.q.QueryContext(ctx, s.stmts.text(query), args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// sqlRows is *sql.Rows as Rows.
type sqlRows struct{ *sql.Rows }

// Close implements Rows. Its error is dropped: once Next has returned
// false and Err nil, the result was read whole.
func (r sqlRows) Close() { r.Rows.Close() }
