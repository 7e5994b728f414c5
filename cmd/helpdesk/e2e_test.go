package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// These tests drive the real program — config, SQLite file, KB, bot core,
// outbox dispatcher and console adapter — through its stdin and stdout.

// wednesday is the injected clock: Wed 18 Nov 2026, 14:30 UTC.
var wednesday = time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)

type desk struct {
	t   *testing.T
	dir string
	now time.Time
	// config, when set, is written to a file and passed with -config.
	config string
}

func newDesk(t *testing.T) *desk {
	return &desk{t: t, dir: t.TempDir(), now: wednesday}
}

// session runs the program once as user, typing lines, and returns what
// it printed. Each call is a fresh process lifetime over the same data dir.
func (d *desk) session(user string, lines ...string) string {
	d.t.Helper()
	var out, errOut strings.Builder
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	now := d.now
	args := []string{"-data", d.dir, "-user", user, "-email", user + "@example.com"}
	if d.config != "" {
		path := filepath.Join(d.dir, "config.yaml")
		if err := os.WriteFile(path, []byte(d.config), 0o600); err != nil {
			d.t.Fatal(err)
		}
		args = append(args, "-config", path)
	}
	code := run(context.Background(), args,
		env{stdin: in, stdout: &out, stderr: &errOut, now: func() time.Time { return now }})
	if code != 0 {
		d.t.Fatalf("exit code %d; stderr:\n%s\nstdout:\n%s", code, errOut.String(), out.String())
	}
	return out.String()
}

// store opens the desk's database to check what was recorded.
func (d *desk) store() *sqlite.Store {
	d.t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(d.dir, "helpdesk.db"))
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { s.Close() })
	return s
}

func (d *desk) ticket(id int64) *tickets.Ticket {
	d.t.Helper()
	tk, err := d.store().Ticket(context.Background(), id)
	if err != nil {
		d.t.Fatalf("ticket %d: %v", id, err)
	}
	return tk
}

func (d *desk) tickets() []*tickets.Ticket {
	d.t.Helper()
	ts, err := d.store().FindTickets(context.Background(), tickets.TicketFilter{})
	if err != nil {
		d.t.Fatal(err)
	}
	return ts
}

func contains(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q; full output:\n%s", w, out)
		}
	}
}

func lacks(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(out, w) {
			t.Errorf("output has %q but must not; full output:\n%s", w, out)
		}
	}
}

func TestFullIncident(t *testing.T) {
	d := newDesk(t)
	out := d.session("alice",
		`My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`,
		"no",
		"just me",
		"I can't work at all",
	)
	contains(t, out,
		"helpdesk is running", "Database: "+filepath.Join(d.dir, "helpdesk.db"), "/help",
		"might fix it right away", "/article ",
		"Who is affected", "How much is this stopping you",
		"Ticket #1 is open", "Priority: P3 (impact low, urgency high)",
		"first response within 4 hours", "resolution within 3 days",
		"[message for #triage] New P3 incident #1 from alice",
	)
	lacks(t, out, "Which device", "When did this start", "What have you tried", "error message?")
	tk := d.ticket(1)
	if tk.Status != tickets.StatusNew || tk.Priority != tickets.P3 || tk.Category != tickets.CategoryNetwork {
		t.Errorf("ticket = %s %s %s", tk.Status, tk.Priority, tk.Category)
	}
	if tk.Requester.Contact != "alice@example.com" {
		t.Errorf("contact = %q, want it from the profile", tk.Requester.Contact)
	}
	if got := tk.Fields[tickets.FieldError]; got != "The VPN server did not respond" {
		t.Errorf("error = %q, want it verbatim", got)
	}
	if got := tk.Fields[tickets.FieldStarted]; !strings.Contains(got, "Wed 18 Nov 09:00") {
		t.Errorf("started = %q", got)
	}
	steps := tk.Fields[tickets.FieldSteps]
	if !strings.Contains(steps, "rebooted") || strings.Contains(steps, "KB") {
		t.Errorf("steps = %q, want the reboot only: the articles were shown, not tried", steps)
	}
	if tk.Fields[tickets.FieldArticles] == "" || tk.Fields["kb_declined"] == "" {
		t.Errorf("fields %v: the articles shown and declined are not recorded", tk.Fields)
	}
	if want := wednesday.Add(4 * time.Hour); !tk.ResponseDue.Equal(want) {
		t.Errorf("response due %v, want %v", tk.ResponseDue, want)
	}
}
