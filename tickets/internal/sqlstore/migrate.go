package sqlstore

import (
	"context"
	"errors"
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
		_, err := apply(ctx, q, ms, d)
		return err
	})
}

// apply brings the database q is in to the last of ms and returns the
// version it was at.
func apply(ctx context.Context, q Querier, ms []Migration, d *Dialect) (int, error) {
	if _, err := q.Exec(ctx, d.CreateMigrations); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	current, err := currentVersion(ctx, q)
	if err != nil {
		return 0, err
	}
	if current > len(ms) {
		return current, fmt.Errorf("migrate: database schema is at version %d but this build knows only up to %d; "+
			"it was used by a newer helpdesk, so run that version or restore a backup", current, len(ms))
	}
	for _, m := range ms[current:] {
		// No arguments: both drivers then run several statements in
		// one call (pgx sends it as a simple query).
		if _, err := q.Exec(ctx, m.SQL); err != nil {
			return current, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := q.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			int64(m.Version), m.Name, d.Time(time.Now())); err != nil {
			return current, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return current, nil
}

// currentVersion is the last migration the database has recorded.
func currentVersion(ctx context.Context, q Querier) (int, error) {
	var current int
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return current, nil
}

// Schema is a database's schema against this build's, as Probe finds it.
type Schema struct {
	// Current is the last migration the database has applied (0 for an
	// empty one; -1 when it could not be read), Latest this build's last.
	Current, Latest int
	// Pending are the migrations opening the database would apply, in
	// order; Probe applied them and rolled them back.
	Pending []string
	// Writes is nil when the database took a write, else why not (a
	// read-only file or role).
	Writes error
}

// errProbed ends Probe's transaction, rolling back all it did.
var errProbed = errors.New("probe: rolled back")

// Probe is Migrate undone: in the same locked transaction, it writes a row
// (so a database that takes no writes says so), applies the pending
// migrations, and rolls everything back. The error is Migrate's: a schema
// newer than this build, a migration that fails. A database that refuses
// the write is reported in Schema.Writes, with its version read apart.
func Probe(ctx context.Context, inTx func(ctx context.Context, fn func(Querier) error) error, fsys fs.FS, d *Dialect) (Schema, error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return Schema{}, fmt.Errorf("migrate: %w", err)
	}
	s := Schema{Current: -1, Latest: len(ms)}
	err = inTx(ctx, func(q Querier) error {
		write := func(query string, args ...any) bool {
			_, err := q.Exec(ctx, query, args...)
			s.Writes = err
			return err == nil
		}
		// Version 0 is never a migration's, and the row goes with the
		// rollback.
		if !write(d.CreateMigrations) ||
			!write(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, int64(0), "probe", d.Time(time.Now())) {
			return errProbed
		}
		current, err := apply(ctx, q, ms, d)
		s.Current = current
		for _, m := range ms[min(current, len(ms)):] {
			s.Pending = append(s.Pending, m.Name)
		}
		if err != nil {
			return err
		}
		return errProbed
	})
	if errors.Is(err, errProbed) {
		err = nil
	}
	if s.Writes != nil && err == nil {
		// The transaction ended at the refused write; read the version in
		// one that writes nothing.
		_ = inTx(ctx, func(q Querier) error {
			if current, err := currentVersion(ctx, q); err == nil {
				s.Current = current
				for _, m := range ms[min(current, len(ms)):] {
					s.Pending = append(s.Pending, m.Name)
				}
			}
			return errProbed
		})
	}
	return s, err
}
