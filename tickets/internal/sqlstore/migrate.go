package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // the file name without .sql: 0001_init
	SQL     string
}

// LoadMigrations reads migrations/NNNN_name.sql from fsys in version order.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
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
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(base, ".sql"), SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		// Numbers run 1, 2, 3... so a missing or doubled file is caught here
		// rather than by a half-migrated database.
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// Migrate applies the migrations in fsys that the database has not
// recorded in schema_migrations. They run in one transaction of inTx,
// which must hold a lock that keeps other processes from migrating at the
// same time (PostgreSQL: an advisory lock; SQLite: the write lock taken at
// BEGIN), so processes starting together apply each migration once: the
// second waits, then finds nothing to do. A migration that fails leaves the
// database as it was. Migrate refuses a database that a newer build has
// migrated past what this build knows.
func Migrate(ctx context.Context, inTx func(ctx context.Context, fn func(Querier) error) error, fsys fs.FS, d *Dialect) error {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return inTx(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, d.CreateMigrations); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var current int
		if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if current > len(ms) {
			return fmt.Errorf("migrate: database schema is at version %d but this build knows only up to %d; "+
				"it was used by a newer helpdesk, so run that version or restore a backup", current, len(ms))
		}
		for _, m := range ms[current:] {
			// No arguments: both drivers then run several statements in
			// one call (pgx sends it as a simple query).
			if _, err := q.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migrate %s: %w", m.Name, err)
			}
			if _, err := q.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				int64(m.Version), m.Name, d.Time(time.Now())); err != nil {
				return fmt.Errorf("migrate %s: %w", m.Name, err)
			}
		}
		return nil
	})
}
