package bot

import (
	"context"
	"sync"
	"time"
)

// Workers runs inbound work on a fixed number of goroutines, each job under
// its own timeout. Adapters acknowledge a platform event at once and hand
// the work here, so a burst of events queues instead of spawning a
// goroutine each, and one slow message cannot hold a worker forever.
type Workers struct {
	jobs    chan job
	timeout time.Duration
	wg      sync.WaitGroup
}

type job struct {
	ctx context.Context
	fn  func(ctx context.Context)
}

// NewWorkers starts n workers; each job gets at most timeout.
func NewWorkers(n int, timeout time.Duration) *Workers {
	if n < 1 {
		n = 1
	}
	w := &Workers{jobs: make(chan job), timeout: timeout}
	w.wg.Add(n)
	for range n {
		go w.loop()
	}
	return w
}

func (w *Workers) loop() {
	defer w.wg.Done()
	for j := range w.jobs {
		ctx, cancel := context.WithTimeout(j.ctx, w.timeout)
		j.fn(ctx)
		cancel()
	}
}

// Submit queues fn, blocking while every worker is busy so back-pressure
// reaches the adapter. It returns ctx's error if ctx ends first. Submit
// must not be called after Close.
func (w *Workers) Submit(ctx context.Context, fn func(ctx context.Context)) error {
	select {
	case w.jobs <- job{ctx: context.WithoutCancel(ctx), fn: fn}:
		return nil
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

// Close stops accepting work and waits for running jobs to finish.
func (w *Workers) Close() {
	close(w.jobs)
	w.wg.Wait()
}
