package kpi

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// benchDesk is 180 days of a desk opening 50 tickets a day, each claimed,
// answered and resolved within hours.
func benchDesk() (*History, time.Time) {
	var d desk
	start := monday.Add(-180 * 24 * time.Hour)
	for i := range 180 * 50 {
		t := start.Add(time.Duration(i) * 180 * 24 * time.Hour / (180 * 50))
		d.open(t, tickets.P3, "network").claim(t.Add(10*time.Minute), "console:dana").reply(t.Add(20*time.Minute), "console:dana").
			resolve(t.Add(3*time.Hour), "console:dana")
	}
	return &d.h, monday
}

// BenchmarkDaily90 is the dashboard's 90-day view: each day computed as
// its own period over 180 days of history.
func BenchmarkDaily90(b *testing.B) {
	h, now := benchDesk()
	for b.Loop() {
		for i := range 90 {
			end := now.Add(-time.Duration(i) * 24 * time.Hour)
			Compute(h, end.Add(-24*time.Hour), end, None, opts)
		}
	}
}
