package postgres

import (
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
	"github.com/helpdesk-bot/helpdesk/tickets/storetest"
)

// The CreateTicket benchmark of the SQLite store, on PostgreSQL:
//
//	go test -run '^$' -bench . -benchtime 2000x ./tickets/postgres/
//
// Each transaction is BEGIN, the writer lock, three INSERTs and COMMIT:
// six round trips to the server, with the commit's WAL flush the largest
// cost on a local server.

// newStore opens a store on a fresh database for b.
func newStore(b *testing.B) (*Store, error) { return Open(b.Context(), pgtest.Database(b)) }

// BenchmarkStore runs storetest's benchmarks, the SQLite store's too.
func BenchmarkStore(b *testing.B) { storetest.RunBenchmarks(b, newStore) }

// BenchmarkRawInsert is the baseline: one single-row INSERT and its COMMIT on
// a plain table in the same database, through the same pool.
func BenchmarkRawInsert(b *testing.B) {
	s := storetest.Opened(b, newStore)
	ctx := b.Context()
	if _, err := s.pool.Exec(ctx, `CREATE TABLE raw (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		pgTx, err := s.pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pgTx.Exec(ctx, `INSERT INTO raw (v) VALUES ($1)`, "VPN drops every ten minutes"); err != nil {
			b.Fatal(err)
		}
		if err := pgTx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
