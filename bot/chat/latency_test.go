package chat

import (
	"math"
	"testing"
	"time"
)

func TestLatencyBuckets(t *testing.T) {
	var l Latency
	for _, d := range []time.Duration{2 * time.Millisecond, 5 * time.Millisecond, 70 * time.Millisecond, 20 * time.Second} {
		l.Observe(d)
	}
	cum, count, sum := l.Snapshot()
	if count != 4 {
		t.Errorf("count = %d, want 4", count)
	}
	if want := 20.077; sum < want-1e-9 || sum > want+1e-9 {
		t.Errorf("sum = %v, want %v", sum, want)
	}
	for _, c := range []struct {
		bound float64
		want  uint64
	}{{0.005, 2}, {0.05, 2}, {0.1, 3}, {10, 3}} {
		if got := cum[c.bound]; got != c.want {
			t.Errorf("at or below %v s: %d, want %d", c.bound, got, c.want)
		}
	}
}

func TestLatencyBound(t *testing.T) {
	var l Latency
	if got := l.Bound(0.99); got != 0 {
		t.Errorf("Bound with nothing counted = %v, want 0", got)
	}
	for range 98 {
		l.Observe(3 * time.Millisecond)
	}
	l.Observe(30 * time.Millisecond)
	l.Observe(time.Minute)
	for _, c := range []struct{ q, want float64 }{{0.5, 0.005}, {0.98, 0.005}, {0.99, 0.05}, {1, math.Inf(1)}} {
		if got := l.Bound(c.q); got != c.want {
			t.Errorf("Bound(%v) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestLatencyNilCountsNothing(t *testing.T) {
	var l *Latency
	l.Observe(time.Second) // must not panic: adapters are built without one
}
