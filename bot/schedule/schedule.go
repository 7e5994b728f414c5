// Package schedule runs the desk's periodic jobs on robfig/cron. A job is
// told which scheduled time it runs for, so it can name what it sends by
// period and send it once; at start-up each job runs for its most recent
// scheduled time, so a run missed while the bot was down happens late,
// once, instead of never. A run that fails (the database restarting, say)
// is tried again, waiting longer each time, until it succeeds or the
// job's next scheduled time comes, so a blip does not lose a digest.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one periodic task.
type Job struct {
	Name string
	// Spec is a standard 5-field cron expression ("0 8 * * 1-5") or a
	// descriptor ("@every 1m", "@daily"), in the runner's time zone.
	Spec string
	// Run does the work for the scheduled time at.
	Run func(ctx context.Context, at time.Time) error
	// Timeout bounds one run; 0 means one minute.
	Timeout time.Duration
}

// Runner runs jobs until its context ends.
type Runner struct {
	cron  *cron.Cron
	jobs  []Job
	specs []cron.Schedule
	log   *slog.Logger
	now   func() time.Time
}

// parser reads standard 5-field expressions and descriptors.
func parser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// Check reports whether spec is a schedule New accepts.
func Check(spec string) error {
	_, err := parser().Parse(spec)
	return err
}

// New checks every job's spec and returns a runner for loc; an invalid
// spec is an error naming the job and the fix.
func New(loc *time.Location, log *slog.Logger, now func() time.Time, jobs []Job) (*Runner, error) {
	if loc == nil {
		loc = time.Local
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	parser := parser()
	s := &Runner{log: log, now: now, jobs: jobs,
		cron: cron.New(cron.WithLocation(loc), cron.WithParser(parser),
			cron.WithChain(cron.Recover(cronLogger{log}), cron.SkipIfStillRunning(cronLogger{log})))}
	for _, j := range jobs {
		sched, err := parser.Parse(j.Spec)
		if err != nil {
			return nil, fmt.Errorf("schedule.%s: %q is not a cron expression (%v); write it like \"0 8 * * 1-5\" or \"@every 1m\"", j.Name, j.Spec, err)
		}
		s.specs = append(s.specs, sched)
	}
	return s, nil
}

// Run catches up each job's most recent scheduled time, then runs jobs on
// schedule until ctx ends, and waits for running ones to finish. The
// catch-up runs side by side, so one job retrying through an outage holds
// up no other.
func (s *Runner) Run(ctx context.Context) {
	var catchUp sync.WaitGroup
	for i, j := range s.jobs {
		sched := s.specs[i]
		if at, ok := Prev(sched, s.now(), 8*24*time.Hour); ok {
			catchUp.Go(func() { s.run(ctx, j, sched, at) })
		}
		s.cron.Schedule(sched, cron.FuncJob(func() {
			at, _ := Prev(sched, s.now(), 8*24*time.Hour)
			s.run(ctx, j, sched, at)
		}))
	}
	s.cron.Start()
	<-ctx.Done()
	<-s.cron.Stop().Done()
	catchUp.Wait()
}

// RetryFirst and RetryMax are the waits between attempts of a failed run:
// the first, doubled after each failure up to the last.
const (
	RetryFirst = 5 * time.Second
	RetryMax   = 5 * time.Minute
)

// run runs j for its scheduled time at, trying again after a failure
// until it succeeds, ctx ends, or the next wait would reach the job's next
// scheduled time, whose run then takes over. Jobs name what they send by
// their scheduled time, so an attempt that failed halfway is safe to
// repeat.
func (s *Runner) run(ctx context.Context, j Job, sched cron.Schedule, at time.Time) {
	wait := RetryFirst
	for attempt := 1; ctx.Err() == nil; attempt++ {
		start := time.Now()
		err := s.attempt(ctx, j, at)
		switch {
		case err == nil:
			s.log.Debug("job ran", "job", j.Name, "for", at, "attempt", attempt, "took", time.Since(start))
			return
		case ctx.Err() != nil:
			return
		}
		next := sched.Next(at)
		if !s.now().Add(wait).Before(next) {
			s.log.Error("job failed; its next scheduled run takes over", "job", j.Name, "for", at, "attempts", attempt, "next", next, "err", err)
			return
		}
		s.log.Warn("job failed; trying again", "job", j.Name, "for", at, "attempt", attempt, "in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, RetryMax)
	}
}

// attempt runs j once for at, within its timeout.
func (s *Runner) attempt(ctx context.Context, j Job, at time.Time) error {
	timeout := j.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	jctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return j.Run(jctx, at)
}

// Prev returns the latest time at or before now that sched fires, looking
// back at most lookback; ok is false when it does not fire in that window.
func Prev(sched cron.Schedule, now time.Time, lookback time.Duration) (time.Time, bool) {
	var last time.Time
	// Next is strictly after its argument; start just before the window.
	for t := sched.Next(now.Add(-lookback - time.Second)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
