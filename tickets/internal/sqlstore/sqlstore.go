// Package sqlstore is what the SQL stores of the help desk (tickets/sqlite
// and tickets/postgres) have in common, written once: the migration runner,
// every tickets.Tx and tickets.Store method but InTx and Close, and the
// knowledge base's store. A store keeps only what its database does its own
// way: connections and transactions, and a Dialect with the few statements
// and value encodings that differ.
//
// Statements are written with $1, $2... placeholders, which PostgreSQL
// takes and modernc.org/sqlite binds by number as well, so a statement that
// means the same on both is one text.
package sqlstore

import (
	"context"
	"database/sql"
)

// Querier runs statements: a transaction, or a pool for statements that
// each run on their own. A store adapts its driver to it; see SQL for
// database/sql.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	// QueryRow runs a query for at most one row. Scanning a missing row
	// returns an error wrapping sql.ErrNoRows (pgx.ErrNoRows does too).
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query for any number of rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Row is one row of a result.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result being read, as pgx.Rows is; SQL wraps *sql.Rows, whose
// Close also returns an error.
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// sqlQuerier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// SQL is a Querier on database/sql.
type SQL struct {
	q        sqlQuerier
	tx       *sql.Tx
	prepared map[string]*sql.Stmt
}

// NewSQL runs statements on db: a *sql.DB, *sql.Conn or *sql.Tx.
func NewSQL(db sqlQuerier) *SQL { return &SQL{q: db} }

// NewSQLTx runs statements in tx, those in prepared (keyed by their text)
// through their prepared form: preparing the statements made for every
// ticket once saves parsing them each time.
func NewSQLTx(tx *sql.Tx, prepared map[string]*sql.Stmt) *SQL {
	return &SQL{q: tx, tx: tx, prepared: prepared}
}

// stmt returns the prepared form of query in the transaction, or nil.
func (s *SQL) stmt(ctx context.Context, query string) *sql.Stmt {
	if s.tx == nil {
		return nil
	}
	if ps := s.prepared[query]; ps != nil {
		return s.tx.StmtContext(ctx, ps)
	}
	return nil
}

// Exec implements Querier.
func (s *SQL) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := s.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = s.q.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// QueryRow implements Querier.
func (s *SQL) QueryRow(ctx context.Context, query string, args ...any) Row {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.q.QueryRowContext(ctx, query, args...)
}

// Query implements Querier.
func (s *SQL) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
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

// queryAll runs query and reads every row with scan; an error says op
// failed.
func queryAll[T any](ctx context.Context, q Querier, d *Dialect, op string, scan func(Row) (T, error),
	query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, d.wrap(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, d.wrap(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, d.wrap(op, err)
	}
	return out, nil
}
