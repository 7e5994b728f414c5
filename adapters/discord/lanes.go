package discord

import (
	"context"
	"sync"
	"time"
)

// lanes runs work on the pool in order per key (a person in a channel), so
// two quick messages of one report are handled in the order they were
// written, while different conversations run in parallel. Work queued
// behind a running job of the same key runs on that job's worker right
// after it, each under its own timeout: nothing is resubmitted, so no
// goroutine outlives the pool.
type lanes struct {
	pool    pool
	timeout time.Duration
	mu      sync.Mutex
	// waiting holds, per busy key, the jobs queued behind the running one.
	waiting map[string][]func(ctx context.Context)
}

func newLanes(p pool, timeout time.Duration) *lanes {
	return &lanes{pool: p, timeout: timeout, waiting: map[string][]func(context.Context){}}
}

// submit queues fn behind earlier work of key. It blocks while the pool is
// full (back-pressure) and returns ctx's error if ctx ends first.
func (l *lanes) submit(ctx context.Context, key string, fn func(ctx context.Context)) error {
	l.mu.Lock()
	if q, busy := l.waiting[key]; busy {
		l.waiting[key] = append(q, fn)
		l.mu.Unlock()
		return nil
	}
	l.waiting[key] = nil
	l.mu.Unlock()
	err := l.pool.Submit(ctx, func(ctx context.Context) {
		fn(ctx)
		for {
			next := l.pop(key)
			if next == nil {
				return
			}
			jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
			next(jctx)
			cancel()
		}
	})
	if err != nil {
		// Nothing runs for key: drop what queued behind it meanwhile.
		l.mu.Lock()
		delete(l.waiting, key)
		l.mu.Unlock()
	}
	return err
}

// pop takes the next job of key, or releases key when none is waiting.
func (l *lanes) pop(key string) func(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.waiting[key]
	if len(q) == 0 {
		delete(l.waiting, key)
		return nil
	}
	l.waiting[key] = q[1:]
	return q[0]
}
