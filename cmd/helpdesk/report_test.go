package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// seedReport writes two tickets into a desk in dir: #1 P2 network,
// claimed by dana and resolved in an hour; #2 P3 email, still new.
func seedReport(t *testing.T, dir string, now time.Time) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "helpdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	alice := tickets.Person{Platform: "console", UserID: "alice"}
	opened := now.Add(-48 * time.Hour)
	t1 := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusResolved, Priority: tickets.P2, Category: "network", Summary: "vpn", Requester: alice,
		Tier: 1, Assignee: "console:dana", CreatedAt: opened, UpdatedAt: opened.Add(time.Hour)}
	t2 := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3, Category: "email", Summary: "mail", Requester: alice,
		Tier: 1, CreatedAt: opened, UpdatedAt: opened}
	for _, tk := range []*tickets.Ticket{t1, t2} {
		if err := s.CreateTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []*tickets.Event{
		{TicketID: 1, At: opened.Add(10 * time.Minute), Actor: "console:dana", Kind: tickets.EventAssigned, After: "console:dana"},
		{TicketID: 1, At: opened.Add(10 * time.Minute), Actor: "console:dana", Kind: tickets.EventStatus, Before: "new", After: "open"},
		{TicketID: 1, At: opened.Add(time.Hour), Actor: "console:dana", Kind: tickets.EventStatus, Before: "open", After: "resolved"},
	} {
		if err := s.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	seedReport(t, dir, now)
	report := func(args ...string) (int, string, string) {
		var out, errOut strings.Builder
		code := run(context.Background(), append([]string{"report", "-data", dir}, args...), env{stdout: &out, stderr: &errOut, now: func() time.Time { return now }})
		return code, out.String(), errOut.String()
	}

	code, out, _ := report("--by", "priority")
	if code != 0 {
		t.Fatalf("report: exit %d", code)
	}
	contains(t, out, "KPIs from Sat 31 Oct 2026 12:00 to Mon 30 Nov 2026 12:00, by priority", "opened", "SLA resolution")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if got := strings.Fields(lines[len(lines)-3]); got[0] != "all" || got[1] != "2" || got[2] != "1" || got[4] != "100%" {
		t.Errorf("total row %q, want 2 opened, 1 resolved, FCR 100%%", lines[len(lines)-3])
	}

	code, out, _ = report("--by", "agent", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 {
		t.Fatalf("csv: exit %d, %v, %d rows: %q", code, err, len(rows), out)
	}
	if rows[0][0] != "agent" || rows[3][0] != "Dana" || rows[3][4] != "1" || rows[3][9] != "1.000" || rows[2][0] != "(unassigned)" {
		t.Errorf("csv rows %q; want (unassigned), then Dana with 1 resolved in 1.000 h", rows)
	}

	code, out, _ = report("--since", "7d", "--format", "json")
	var js struct {
		Total struct {
			Opened  int `json:"opened"`
			Backlog int `json:"backlog"`
			SLA     struct {
				Value *float64 `json:"value"`
			} `json:"sla_resolution"`
			CSAT struct {
				Value *float64 `json:"value"`
			} `json:"csat"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &js); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v: %s", code, err, out)
	}
	if js.Total.Opened != 2 || js.Total.Backlog != 1 || js.Total.SLA.Value == nil || *js.Total.SLA.Value != 1 || js.Total.CSAT.Value != nil {
		t.Errorf("json total %+v; want 2 opened, 1 in backlog, SLA 1, no CSAT", js.Total)
	}

	// The week before the tickets were opened, recomputed: nothing.
	code, out, _ = report("--since", "7d", "--until", "2026-11-27T00:00:00Z", "--format", "csv")
	if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); code != 0 || err != nil || rows[1][3] != "0" || rows[1][2] != "2026-11-27T00:00:00Z" {
		t.Errorf("--until 2026-11-27T00:00:00Z: exit %d, %v, %q; want a period ending then with nothing opened", code, err, out)
	}

	var errOut strings.Builder
	empty := t.TempDir()
	if code := run(context.Background(), []string{"report", "-data", empty}, env{stdout: io.Discard, stderr: &errOut, now: func() time.Time { return now }}); code != 1 ||
		!strings.Contains(errOut.String(), "there is no database at "+filepath.Join(empty, "helpdesk.db")) {
		t.Errorf("report on an empty data directory: exit %d, %q", code, errOut.String())
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("report made %d files in an empty data directory", len(entries))
	}

	for _, tc := range []struct{ args, want string }{
		{"--since 3x", `--since: period "3x": write it like 24h, 7d, 30d or 4w`},
		{"--since -2d", "--since: period \"-2d\": must be longer than nothing"},
		{"--by colour", `--by: "colour" is not a breakdown; use one of category, priority, tier, team or agent`},
		{"--format xml", `--format: "xml" is not a format; use table, csv or json`},
		{"--since 3 days", `unexpected "days"`},
		{"--nope", "flag provided but not defined: -nope"},
		{"--until yesterday", `--until: "yesterday" is not a date; write it like 2026-10-31 or 2026-10-31T17:00:00Z`},
		{"--until 2030-01-01", "--until: 2030-01-01 is in the future"},
	} {
		code, _, errOut := report(strings.Fields(tc.args)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("report %s: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
