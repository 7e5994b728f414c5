package chat

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWorkersBoundConcurrency(t *testing.T) {
	w := NewWorkers(3, time.Minute)
	var running, peak atomic.Int32
	release := make(chan struct{})
	var submitted sync.WaitGroup
	for range 10 {
		submitted.Add(1)
		go func() {
			defer submitted.Done()
			w.Submit(context.Background(), func(context.Context) {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				<-release
				running.Add(-1)
			})
		}()
	}
	// Wait until the pool is full; it must not go past 3.
	for running.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	submitted.Wait()
	w.Close()
	if p := peak.Load(); p != 3 {
		t.Errorf("peak concurrency %d, want 3", p)
	}
}

func TestWorkersTimeout(t *testing.T) {
	w := NewWorkers(1, 10*time.Millisecond)
	defer w.Close()
	var err error
	w.Do(context.Background(), func(ctx context.Context) {
		<-ctx.Done() // a job that would hang is cut off by its deadline
		err = ctx.Err()
	})
	if err != context.DeadlineExceeded {
		t.Errorf("job ctx err = %v, want deadline exceeded", err)
	}
}

func TestWorkersSubmitHonoursCallerContext(t *testing.T) {
	w := NewWorkers(1, time.Minute)
	block := make(chan struct{})
	w.Submit(context.Background(), func(context.Context) { <-block })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Submit(ctx, func(context.Context) {}); err != context.Canceled {
		t.Errorf("Submit on a full pool with a cancelled ctx = %v, want context.Canceled", err)
	}
	close(block)
	w.Close()
}

// A job that panics is reported and the pool goes on; Submit after Close
// is refused, not a panic.
func TestWorkersSurvivePanicAndClose(t *testing.T) {
	w := NewWorkers(1, time.Second)
	var got any
	w.Panicked = func(v any) { got = v }
	if err := w.Do(context.Background(), func(context.Context) { panic("boom") }); err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := w.Do(context.Background(), func(context.Context) { ran = true }); err != nil || !ran {
		t.Fatalf("after a panic: ran %v, %v", ran, err)
	}
	if got != "boom" {
		t.Errorf("Panicked got %v", got)
	}
	w.Close()
	w.Close() // twice is fine
	if err := w.Submit(context.Background(), func(context.Context) {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after Close = %v, want ErrClosed", err)
	}
}
