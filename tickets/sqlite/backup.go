package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database at path to the new file
// dest with VACUUM INTO: the database as of one moment, taken while the
// bot goes on writing (in WAL mode a reader never blocks the writer), and
// compacted. The copy is checked with PRAGMA integrity_check. Backup
// neither migrates nor creates the source, so a copy taken before an
// upgrade opens with the release that made it; it never overwrites dest.
func Backup(ctx context.Context, path, dest string) error {
	src, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	to, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if src == to {
		return errors.New("sqlite: backup: the backup would overwrite the database itself; name another file")
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("sqlite: backup: %s exists; a backup never overwrites a file, so name a new one or remove it first", to)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(src, false, SyncFull))
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer conn.Close()
	// The reader's query_only also refuses VACUUM INTO, which writes only
	// the new file; it is lifted for this one connection.
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only(0)`); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, to); err != nil {
		os.Remove(to) // a partial copy is no backup
		return fmt.Errorf("sqlite: backup of %s: %w", src, err)
	}
	if err := os.Chmod(to, 0o600); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return check(ctx, to)
}

// check runs SQLite's integrity check on the database file at path.
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, false, SyncFull))
	if err != nil {
		return fmt.Errorf("sqlite: check %s: %w", path, err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("sqlite: check %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("sqlite: check %s: the copy is damaged: %s", path, result)
	}
	return nil
}
