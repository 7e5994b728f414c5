package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
)

// The program on PostgreSQL, named by HELPDESK_DATABASE_URL: a console
// session opens a ticket, the outbox delivers its triage message, and a
// second run (another replica, as far as the database can tell) sees the
// ticket. The password in the URL is never printed.
func TestConsoleOnPostgres(t *testing.T) {
	dbURL := pgtest.Database(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	secret, hasPassword := u.User.Password()
	if !hasPassword {
		// The test server trusts local connections and never asks for it.
		secret = "not-printed-7f3a"
		u.User = url.UserPassword(u.User.Username(), secret)
	}
	dbURL = u.String()

	dir := t.TempDir()
	session := func(user string, lines ...string) string {
		t.Helper()
		var out, errOut strings.Builder
		args := []string{"-data", dir, "-user", user, "-email", user + "@example.com"}
		e := env{stdin: strings.NewReader(strings.Join(lines, "\n") + "\n"), stdout: &out, stderr: &errOut,
			now: func() time.Time { return wednesday },
			getenv: func(name string) string {
				if name == databaseURLEnv {
					return dbURL
				}
				return ""
			}}
		if code := run(context.Background(), args, e); code != 0 {
			t.Fatalf("exit code %d; stderr:\n%s\nstdout:\n%s", code, errOut.String(), out.String())
		}
		if strings.Contains(out.String()+errOut.String(), secret) {
			t.Errorf("the database password was printed:\n%s%s", out.String(), errOut.String())
		}
		return out.String()
	}

	out := session("alice",
		`My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`,
		"no",
		"just me",
		"I can't work at all",
	)
	contains(t, out, "helpdesk is running", "Database: postgres://", "Ticket #1 is open",
		"[message for #triage] New P3 incident #1 from alice")

	out = session("alice", "/status 1")
	contains(t, out, "Ticket #1 — My laptop can't connect to the VPN", "Requester: alice (alice@example.com)",
		"alice: opened the ticket")

	s, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tk, err := s.Ticket(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != tickets.StatusNew || tk.Priority != tickets.P3 || tk.Requester.Contact != "alice@example.com" {
		t.Errorf("ticket = %s %s %q", tk.Status, tk.Priority, tk.Requester.Contact)
	}
	if dead, err := s.DeadOutbox(t.Context(), 10); err != nil || len(dead) != 0 {
		t.Errorf("DeadOutbox = %+v, %v; want none", dead, err)
	}
}

func TestIsPostgresURL(t *testing.T) {
	for db, want := range map[string]bool{
		"postgres://h/db":       true,
		"postgresql://u@h/db":   true,
		"data/helpdesk.db":      false,
		"/var/lib/postgres.db":  false,
		"postgres:/not-a-url":   false,
		"./postgres://weird.db": false,
	} {
		if got := isPostgresURL(db); got != want {
			t.Errorf("isPostgresURL(%q) = %v, want %v", db, got, want)
		}
	}
	if got := redact("postgres://helpdesk:s3cret@db/helpdesk"); strings.Contains(got, "s3cret") {
		t.Errorf("redact kept the password: %q", got)
	}
}
