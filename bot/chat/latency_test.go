package chat

import (
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

func TestLatencyNilCountsNothing(t *testing.T) {
	var l *Latency
	l.Observe(time.Second) // must not panic: adapters are built without one
}
