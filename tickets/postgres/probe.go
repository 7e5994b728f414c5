package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
)

// migrationTx runs a migration's work in a transaction of db under the
// migration lock, as migrate does.
func migrationTx(db beginner) func(ctx context.Context, fn func(sqlstore.Querier) error) error {
	return func(ctx context.Context, fn func(sqlstore.Querier) error) error {
		return runTx(ctx, db, migrateLock, func(pgTx pgx.Tx) error { return fn(querier{pgTx}) })
	}
}

// Schema is a database's schema against this build's, as Probe finds it.
type Schema = sqlstore.Schema

// Probe says what Open would do with the database at url, and does none
// of it: under the migration lock it writes a row, applies the pending
// migrations and rolls both back (see Schema), so a role that may not
// write or a migration that fails shows before a start does. An error is
// what Open would refuse with.
func Probe(ctx context.Context, url string) (Schema, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return Schema{}, errors.New("postgres: probe: the database URL does not parse")
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "helpdesk doctor"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return Schema{}, fmt.Errorf("postgres: probe: %w", err)
	}
	defer pool.Close()
	s, err := sqlstore.Probe(ctx, migrationTx(pool), migrationFiles, dialect())
	if err != nil {
		return s, fmt.Errorf("postgres: probe: %w", err)
	}
	return s, nil
}
