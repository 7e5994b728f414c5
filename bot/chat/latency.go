package chat

import (
	"math"
	"sync/atomic"
	"time"
)

// LatencyBounds are the upper bounds, in seconds, of a Latency's buckets:
// from 5 ms (an answer from memory) to 10 s (past every platform's
// deadline for an acknowledgement).
var LatencyBounds = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Latency counts how long something took, in the buckets of
// LatencyBounds, without locks: the core times its handlers with one and
// an adapter its acknowledgements, and /metrics exposes them as
// histograms. The zero value is ready to use; a nil *Latency counts
// nothing, so an adapter built without one need not check.
type Latency struct {
	counts [len(LatencyBounds) + 1]atomic.Uint64 // the last is above every bound
	micros atomic.Int64
}

// Observe counts one duration; on a nil Latency it does nothing.
func (l *Latency) Observe(d time.Duration) {
	if l == nil {
		return
	}
	s := d.Seconds()
	i := 0
	for i < len(LatencyBounds) && s > LatencyBounds[i] {
		i++
	}
	l.counts[i].Add(1)
	l.micros.Add(d.Microseconds())
}

// Snapshot returns the cumulative count at or below each bound (as
// Prometheus histograms count), the count of all, and their sum in
// seconds.
func (l *Latency) Snapshot() (cumulative map[float64]uint64, count uint64, sum float64) {
	cumulative = make(map[float64]uint64, len(LatencyBounds))
	for i, b := range LatencyBounds {
		count += l.counts[i].Load()
		cumulative[b] = count
	}
	count += l.counts[len(LatencyBounds)].Load()
	return cumulative, count, float64(l.micros.Load()) / 1e6
}

// Bound is the smallest bound of LatencyBounds at or below which a
// fraction q of the counts fall (what a Prometheus histogram_quantile
// can say at best), +Inf when they lie above every bound, and 0 when
// nothing was counted. Benchmarks report it beside their own figures.
func (l *Latency) Bound(q float64) float64 {
	cum, count, _ := l.Snapshot()
	if count == 0 {
		return 0
	}
	for _, b := range LatencyBounds {
		if float64(cum[b]) >= q*float64(count) {
			return b
		}
	}
	return math.Inf(1)
}
