package schedule

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/robfig/cron/v3"
)

func TestPrev(t *testing.T) {
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	now := time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC) // a Monday
	for _, tc := range []struct {
		spec, want string
	}{
		{"0 8 * * *", "2026-11-23 08:00"},
		{"0 8 * * 1-5", "2026-11-23 08:00"},
		{"0 9 * * 6", "2026-11-21 09:00"},   // last Saturday
		{"30 12 * * *", "2026-11-23 12:30"}, // exactly now counts
		{"0 7 * * 1", "2026-11-23 07:00"},
	} {
		sched, err := parser.Parse(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Prev(sched, now, 8*24*time.Hour)
		if !ok || got.Format("2006-01-02 15:04") != tc.want {
			t.Errorf("Prev(%q) = %v, %v; want %s", tc.spec, got, ok, tc.want)
		}
	}
	yearly, _ := parser.Parse("0 0 1 1 *")
	if _, ok := Prev(yearly, now, 8*24*time.Hour); ok {
		t.Error("a yearly job has a run in the last 8 days")
	}
}

func TestNewRefusesBadSpec(t *testing.T) {
	_, err := New(time.UTC, nil, nil, []Job{{Name: "digest", Spec: "every morning", Run: func(context.Context, time.Time) error { return nil }}})
	if err == nil || !strings.Contains(err.Error(), "schedule.digest") || !strings.Contains(err.Error(), "@every 1m") {
		t.Errorf("err = %v, want one naming schedule.digest and the form", err)
	}
}

// The scheduler catches up the most recent run at start, then runs on
// schedule, each time for the scheduled time, and stops with its context.
func TestRunCatchesUpThenRunsOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var runs []time.Time
		job := Job{Name: "tick", Spec: "*/10 * * * *", Run: func(_ context.Context, at time.Time) error {
			mu.Lock()
			defer mu.Unlock()
			runs = append(runs, at)
			return nil
		}}
		start := time.Now()
		s, err := New(time.UTC, nil, time.Now, []Job{job})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		time.Sleep(35 * time.Minute)
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if len(runs) != 4 { // the catch-up plus three ten-minute marks in 35 minutes
			t.Fatalf("ran %d times (%v), want 4", len(runs), runs)
		}
		if runs[0].After(start) || start.Sub(runs[0]) > 10*time.Minute {
			t.Errorf("catch-up ran for %v, want the last ten-minute mark before %v", runs[0], start)
		}
		for i := 1; i < len(runs); i++ {
			if runs[i].Minute()%10 != 0 || !runs[i].After(runs[i-1]) {
				t.Errorf("run %d for %v, want successive ten-minute marks", i, runs[i])
			}
		}
	})
}
