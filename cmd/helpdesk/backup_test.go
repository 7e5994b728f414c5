package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// helpdesk backup while the bot takes reports: the copy opens as a desk
// of its own with every ticket opened before it was taken, and the bot
// goes on.
func TestBackupWhileRunning(t *testing.T) {
	dir := t.TempDir()
	l := startLive(t, []string{"-data", dir, "-user", "alice"}, nil)
	l.expect("Describe a problem")
	start := func(n int) {
		l.say(fmt.Sprintf("/as user%d", n))
		l.say("I need a new keyboard")
	}
	finish := func(n int) {
		l.expect("What is it for?")
		l.say("typing")
		l.expect("Where should it be delivered")
		l.say(fmt.Sprintf("desk %d", n))
		l.expect(fmt.Sprintf("Ticket #%d", n))
	}
	for n := 1; n <= 3; n++ {
		start(n)
		finish(n)
	}
	start(4) // written while the backup runs
	dest := filepath.Join(t.TempDir(), "backups", "before-upgrade.db")
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"backup", "-data", dir, dest}, env{stdout: &out, stderr: &errOut}); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut.String())
	}
	contains(t, out.String(), "Backed up "+filepath.Join(dir, "helpdesk.db")+" to "+dest, "integrity checked", "To restore it: stop helpdesk")
	finish(4) // the bot goes on

	b, err := sqlite.Open(context.Background(), dest)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ts, err := b.FindTickets(context.Background(), tickets.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Errorf("backup holds %d tickets, want the 3 opened before it", len(ts))
	}
	if code := run(context.Background(), []string{"backup", "-data", dir, dest}, env{stdout: &out, stderr: &errOut}); code != 1 || !strings.Contains(errOut.String(), "never overwrites") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errOut.String())
	}
	l.say("/quit")
	l.expect("bye")
}

// What backup refuses, with what to do instead.
func TestBackupErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		vars map[string]string
		code int
		want string
	}{
		{[]string{"backup"}, nil, 2, "Usage: helpdesk backup"},
		{[]string{"backup", "-data", dir, filepath.Join(dir, "b.db")}, nil, 1, "no database at " + filepath.Join(dir, "helpdesk.db")},
		{[]string{"backup", "b.dump"}, map[string]string{"HELPDESK_DATABASE": "postgres://hd@db/helpdesk"}, 1, "pg_dump"},
	} {
		var out, errOut strings.Builder
		code := run(context.Background(), c.args, env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return c.vars[k] }})
		if code != c.code || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errOut.String(), c.code, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "helpdesk.db")); !os.IsNotExist(err) {
		t.Errorf("backup created the database it had to copy: %v", err)
	}
}

// helpdesk health asks a running bot, for the container's health check.
func TestHealthCommand(t *testing.T) {
	l := startLive(t, []string{"-data", t.TempDir(), "-user", "alice"}, map[string]string{"HELPDESK_HTTP_ADDR": "127.0.0.1:0"})
	addr := strings.TrimPrefix(l.httpBase(), "http://")
	for _, args := range [][]string{{"health", "-addr", addr}, {"health", "-addr", addr, "-ready"}} {
		// Ready once the KB index, built in the background, is: ask again
		// for a while, as a container runtime does.
		var out, errOut strings.Builder
		code := run(context.Background(), args, env{stdout: &out, stderr: &errOut})
		for end := time.Now().Add(10 * time.Second); code != 0 && time.Now().Before(end); {
			time.Sleep(50 * time.Millisecond)
			out.Reset()
			errOut.Reset()
			code = run(context.Background(), args, env{stdout: &out, stderr: &errOut})
		}
		if code != 0 || !strings.Contains(out.String(), "200 OK") {
			t.Errorf("%v: exit %d, %q %q", args, code, out.String(), errOut.String())
		}
	}
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"health", "-addr", "127.0.0.1:1"}, env{stdout: &out, stderr: &errOut}); code != 1 || !strings.Contains(errOut.String(), "is helpdesk running") {
		t.Errorf("nothing listening: exit %d, %q", code, errOut.String())
	}
}
