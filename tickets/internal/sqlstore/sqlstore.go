// Package sqlstore is what the SQL stores of the help desk (tickets/sqlite
// and tickets/postgres) have in common, written once: the migration runner,
// every tickets.Tx and tickets.Store method but InTx and Close, and the
// knowledge base's store. A store keeps only what its database does its own
// way: connections and transactions, and a Dialect with the few statements
// and value encodings that differ.
//
// Statements are written with $1, $2... placeholders, which PostgreSQL
// takes and modernc.org/sqlite binds by number as well, so a statement that
// means the same on both is one text. (SQL runs them on SQLite with ?
// instead, which binds without an allocation a parameter; see Statements.)
package sqlstore

import "context"

// Querier runs statements: a transaction, or a pool for statements that
// each run on their own. A store adapts its driver to it; SQL is the
// adapter for database/sql.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	// QueryRow runs a query for at most one row. Scanning a missing row
	// returns an error wrapping sql.ErrNoRows (pgx.ErrNoRows does too).
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query for any number of rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// Insert runs an INSERT ... RETURNING id and returns the ID of the row
	// it added; when it added none (ON CONFLICT DO NOTHING, or a SELECT
	// that selects nothing) the error wraps sql.ErrNoRows.
	Insert(ctx context.Context, query string, args ...any) (id int64, err error)
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
