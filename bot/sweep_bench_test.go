package bot

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// BenchmarkTimerSweep1M is the scheduler's sweep over a desk with
// 1,000,000 open tickets, each with an SLA warning, an SLA breach and a
// status-update timer (3,000,000 timers spread over 30 days). Each
// iteration moves the clock on by one minute's worth of timers (about
// 70) and runs runTimers: find what is due, then for each timer take it,
// load its ticket, queue its messages and reschedule the ticket, each in
// its own transaction.
//
//	go test -run '^$' -bench TimerSweep1M -benchtime 20x ./bot/
//
// Finding what is due is one range read of the timers_due index on
// due_at, so its cost follows the number due, not the number of tickets;
// the work per ticket is the same as on a small desk.
func BenchmarkTimerSweep1M(b *testing.B) {
	const n = 1_000_000
	span := 30 * 24 * time.Hour
	path := filepath.Join(b.TempDir(), "sweep.db")
	store, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	start := testNow.Add(time.Hour)
	loadTickets(b, path, n, start, span)

	arts, _ := kb.Builtin()
	now := start
	bot, err := New(store, kb.NewIndex(arts), Config{Triage: tickets.Place{Platform: "test", ChannelID: "triage"}},
		Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	step := span / (3 * n / 70) // a step that makes about 70 timers due
	fired := 0
	b.ResetTimer()
	for b.Loop() {
		now = now.Add(step)
		k, err := bot.runTimers(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		fired += k
	}
	b.ReportMetric(float64(fired)/float64(b.N), "timers/sweep")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(fired), "µs/timer")
}

// loadTickets bulk-loads n open P3 tickets and their timers with one SQL
// statement each, far faster than the store's one-by-one inserts.
func loadTickets(b *testing.B, path string, n int, start time.Time, span time.Duration) {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t0 := start.UnixMicro()
	per := span.Microseconds() / int64(3*n)
	for _, load := range []struct {
		q    string
		args []any
	}{
		{`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)
		 INSERT INTO tickets (id, kind, status, priority, impact, urgency, category, summary,
		   requester_platform, requester_user_id, origin_platform, origin_channel_id, tier,
		   created_at, updated_at, response_due, resolve_due)
		 SELECT i, 'incident', 'open', 3, 'medium', 'medium', 'network', 'VPN drops ' || i,
		   'test', 'u' || i, 'test', 'dm-u' || i, 1, ?, ?, ? + 3 * i * ?, ? + 3 * i * ? FROM c`,
			[]any{n, t0, t0, t0, per, t0, per}},
		{`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)
		 INSERT INTO timers (ticket_id, kind, due_at)
		 SELECT i, 'resolve_warn', ? + (3 * i) * ? FROM c
		 UNION ALL SELECT i, 'resolve_breach', ? + (3 * i + 1) * ? FROM c
		 UNION ALL SELECT i, 'status_update', ? + (3 * i + 2) * ? FROM c`,
			[]any{n, t0, per, t0, per, t0, per}},
	} {
		if _, err := db.Exec(load.q, load.args...); err != nil {
			b.Fatal(err)
		}
	}
}
