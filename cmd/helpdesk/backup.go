package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// runBackup runs "helpdesk backup FILE": a consistent copy of the SQLite
// database, taken while the bot runs, to the new file FILE.
func runBackup(ctx context.Context, args []string, e env) int {
	flags := flag.NewFlagSet("helpdesk backup", flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	cf := addConfigFlags(flags)
	flags.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: helpdesk backup [-config FILE] [-data DIR] BACKUP.db\n  Copy the SQLite database, while the bot runs, to the new file BACKUP.db.\n")
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	dest := flags.Arg(0)
	cfg, err := cf.load(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk backup: %v\n", err)
		return 1
	}
	if isPostgresURL(cfg.Database) {
		fmt.Fprint(e.stderr, "helpdesk backup: the database is PostgreSQL, which backs itself up: pg_dump --format=custom --file=BACKUP.dump \"$HELPDESK_DATABASE\" (see docs/deploy.md)\n")
		return 1
	}
	if err := sqlite.Backup(ctx, cfg.Database, dest); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(e.stderr, "helpdesk backup: there is no database at %s to back up; check -data, data_dir or database\n", cfg.Database)
			return 1
		}
		fmt.Fprintf(e.stderr, "helpdesk backup: %v\n", err)
		return 1
	}
	size := "?"
	if fi, err := os.Stat(dest); err == nil {
		size = fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
	}
	db := cfg.Database
	fmt.Fprintf(e.stdout, "Backed up %s to %s (%s, integrity checked).\n", db, dest, size)
	fmt.Fprintf(e.stdout, "To restore it: stop helpdesk, remove %s-wal and %s-shm, copy %s to %s, and start helpdesk — the release that took the backup, or a newer one.\n",
		filepath.Base(db), filepath.Base(db), dest, db)
	return 0
}
