package chat

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Workers runs inbound work on a fixed number of goroutines, each job under
// its own timeout. Adapters acknowledge a platform event at once and hand
// the work here, so a burst of events queues instead of spawning a
// goroutine each, and one slow message cannot hold a worker forever.
type Workers struct {
	jobs    chan job
	closing chan struct{} // closed by Close: Submit refuses from then on
	once    sync.Once
	timeout time.Duration
	wg      sync.WaitGroup
	// Panicked, when set, hears of a job that panicked; the worker goes on.
	Panicked func(v any)
}

// ErrClosed is Submit's answer once the pool is closed.
var ErrClosed = errors.New("workers: closed")

type job struct {
	ctx context.Context
	fn  func(ctx context.Context)
}

// NewWorkers starts n workers; each job gets at most timeout.
func NewWorkers(n int, timeout time.Duration) *Workers {
	if n < 1 {
		n = 1
	}
	w := &Workers{jobs: make(chan job), closing: make(chan struct{}), timeout: timeout}
	w.wg.Add(n)
	for range n {
		go w.loop()
	}
	return w
}

func (w *Workers) loop() {
	defer w.wg.Done()
	for {
		select {
		case j := <-w.jobs:
			w.run(j)
		case <-w.closing:
			return
		}
	}
}

// run does one job; a panic in it is reported and does not take the bot
// down with it.
func (w *Workers) run(j job) {
	ctx, cancel := context.WithTimeout(j.ctx, w.timeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil && w.Panicked != nil {
			w.Panicked(v)
		}
	}()
	j.fn(ctx)
}

// Submit queues fn, blocking while every worker is busy so back-pressure
// reaches the adapter. It returns ctx's error if ctx ends first, and
// ErrClosed once Close has been called (an HTTP handler still running at
// shutdown gets that, not a panic).
func (w *Workers) Submit(ctx context.Context, fn func(ctx context.Context)) error {
	select {
	case <-w.closing:
		return ErrClosed
	default:
	}
	select {
	case w.jobs <- job{ctx: context.WithoutCancel(ctx), fn: fn}:
		return nil
	case <-w.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do runs fn on a worker and waits for it to finish.
func (w *Workers) Do(ctx context.Context, fn func(ctx context.Context)) error {
	done := make(chan struct{})
	if err := w.Submit(ctx, func(ctx context.Context) { defer close(done); fn(ctx) }); err != nil {
		return err
	}
	<-done
	return nil
}

// Close stops accepting work and waits for running jobs to finish. Jobs
// still queued behind a busy pool are not started.
func (w *Workers) Close() {
	w.once.Do(func() { close(w.closing) })
	w.wg.Wait()
}
