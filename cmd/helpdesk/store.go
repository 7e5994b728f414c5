package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// databaseURLEnv names the variable that holds a PostgreSQL URL, password
// included, so the password stays out of the config file. When set it
// overrides the config's database (config.LoadEnv reads it too, as
// HELPDESK_DATABASE; the subcommands that load the file alone read it
// here).
const databaseURLEnv = config.EnvDatabaseURL

// store is what the program needs of its database: the help desk's
// tickets, conversations and outbox, and the knowledge base's articles and
// counts.
type store interface {
	tickets.Store
	kb.Store
}

// openStore opens the database that cfg.Database names, or that
// HELPDESK_DATABASE_URL names when set: PostgreSQL for a postgres:// or
// postgresql:// URL, SQLite for a file path. shown is the database as it
// may be printed and logged, without a password.
func openStore(ctx context.Context, cfg config.Config, e env) (s store, shown string, err error) {
	database := cfg.Database
	if u := e.env(databaseURLEnv); u != "" {
		database = u
	}
	if !isPostgresURL(database) {
		s, err := sqlite.OpenWith(ctx, database, sqlite.Options{Synchronous: cfg.SQLiteSync})
		if err != nil {
			return nil, database, err
		}
		return s, database, nil
	}
	shown = redact(database)
	pg, err := postgres.Open(ctx, database)
	if err != nil {
		return nil, shown, err
	}
	return pg, shown, nil
}

// isPostgresURL reports whether database is a PostgreSQL URL rather than a
// SQLite file path.
func isPostgresURL(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// redact is a database URL without its password.
func redact(database string) string {
	u, err := url.Parse(database)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	return u.Redacted()
}
