package schedule

import (
	"context"
	"errors"
	"io"
	"log/slog"
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

// A run that fails (the database restarting during the start-up catch-up,
// in issue 15's trials) is tried again for the same scheduled time until
// it succeeds; one that keeps failing gives way to the next scheduled run
// instead of overlapping it.
func TestRunRetriesFailedRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var digest, broken []time.Time
		down := 3 // attempts the database is down for
		jobs := []Job{
			{Name: "digest", Spec: "0 8 * * *", Run: func(_ context.Context, at time.Time) error {
				mu.Lock()
				defer mu.Unlock()
				digest = append(digest, at)
				if len(digest) <= down {
					return errors.New("connection refused")
				}
				return nil
			}},
			{Name: "broken", Spec: "*/10 * * * *", Run: func(_ context.Context, at time.Time) error {
				mu.Lock()
				defer mu.Unlock()
				broken = append(broken, at)
				return errors.New("always fails")
			}},
		}
		var logs strings.Builder
		log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, nil))
		s, err := New(time.UTC, log, time.Now, jobs)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		time.Sleep(25 * time.Minute)
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if len(digest) != down+1 {
			t.Fatalf("the digest ran %d times, want %d: %d failures, then once more", len(digest), down+1, down)
		}
		for _, at := range digest[1:] {
			if !at.Equal(digest[0]) {
				t.Errorf("a retry ran for %v, want the failed run's time %v", at, digest[0])
			}
		}
		// The broken job: each scheduled time tried a few times, never
		// after the next one came.
		times := map[time.Time]int{}
		for i, at := range broken {
			times[at]++
			if i > 0 && at.Before(broken[i-1]) {
				t.Errorf("a retry for %v ran after the run for %v", at, broken[i-1])
			}
		}
		if len(times) != 3 || len(broken) <= len(times) {
			t.Errorf("the broken job ran %d times for %d scheduled times, want retries for each of 3", len(broken), len(times))
		}
		out := logs.String()
		if !strings.Contains(out, "job failed; trying again") || !strings.Contains(out, "job failed; its next scheduled run takes over") {
			t.Errorf("the log does not say what happened:\n%s", out)
		}
	})
}

// lockedWriter serialises writes from the runner's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
