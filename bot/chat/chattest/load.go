package chattest

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Script is what each person of a Load says, as the adapters' benchmarks
// use it: a report, its answers up to an open ticket (whose triage card
// goes through the outbox), and a fresh start. The next round is a
// colleague (another user ID), so it is a new report, not a duplicate of
// the first.
var Script = []string{
	"my outlook keeps asking for my password",
	"no",
	"Outlook says: Need password",
	"this morning",
	"I restarted Outlook, no change",
	"just me",
	"I can't work at all",
	"/new",
}

// Load is people holding conversations with the bot at once through a
// platform under test; each says the next line of Script after the answer
// to the previous one. The benchmark's fake platform calls Answered when
// the bot's answer to person reaches it; Run sends b.N messages and
// reports throughput and latency (from sending to the answer arriving).
type Load struct {
	People int
	// Rate paces sends at so many messages a second; 0 sends as fast as
	// answers come back.
	Rate int
	// Send delivers person's line to the bot; n numbers the message, round
	// the person's pass through the Script.
	Send func(n, person, round int, text string)

	mu       sync.Mutex
	people   []loadPerson
	lat      []time.Duration
	answered chan struct{}
}

type loadPerson struct {
	step     int
	pending  bool
	sentAt   time.Time
	lastPost time.Time
}

// quiet is how long a person waits after an answer before writing again,
// so a second part of an answer is not taken for the next one.
const quiet = 20 * time.Millisecond

// Rounds is how many passes through the Script a person may make in b.N
// messages, with one spare: the platform's fake needs a user (or DM) for
// each person and round.
func (l *Load) Rounds(b *testing.B) int { return b.N/(l.People*len(Script)) + 2 }

// Answered records an answer to person arriving at at.
func (l *Load) Answered(person int, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if person < 0 || person >= len(l.people) {
		return
	}
	p := &l.people[person]
	p.lastPost = at
	if p.pending {
		p.pending = false
		l.lat = append(l.lat, at.Sub(p.sentAt))
		l.answered <- struct{}{}
	}
}

// Run sends b.N messages and reports msgs/s and the p50, p99 and max
// latency in milliseconds.
func (l *Load) Run(b *testing.B) {
	l.mu.Lock()
	l.people = make([]loadPerson, l.People)
	l.answered = make(chan struct{}, b.N+l.People)
	l.mu.Unlock()
	next := 0
	// send sends the next line of an idle person; false when none is.
	send := func(n int) bool {
		l.mu.Lock()
		now := time.Now()
		who := -1
		for range l.people {
			c := &l.people[next]
			if !c.pending && now.Sub(c.lastPost) >= quiet {
				who = next
			}
			next = (next + 1) % len(l.people)
			if who >= 0 {
				break
			}
		}
		if who < 0 {
			l.mu.Unlock()
			return false
		}
		p := &l.people[who]
		p.pending, p.sentAt = true, now
		text, round := Script[p.step%len(Script)], p.step/len(Script)
		p.step++
		l.mu.Unlock()
		l.Send(n, who, round, text)
		return true
	}

	b.ResetTimer()
	start := time.Now()
	skipped := 0
	if l.Rate == 0 {
		for n := 0; n < b.N; {
			if send(n) {
				n++
				continue
			}
			select {
			case <-l.answered:
			case <-time.After(time.Millisecond):
			}
		}
	} else {
		tick := time.NewTicker(time.Second / time.Duration(l.Rate))
		for n := 0; n < b.N; {
			<-tick.C
			if send(n) {
				n++
			} else {
				skipped++
			}
		}
		tick.Stop()
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		l.mu.Lock()
		done := len(l.lat)
		l.mu.Unlock()
		if done >= b.N || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	l.mu.Lock()
	got := slices.Clone(l.lat)
	l.mu.Unlock()
	if len(got) < b.N {
		b.Fatalf("%d of %d messages answered", len(got), b.N)
	}
	slices.Sort(got)
	pct := func(p float64) float64 {
		return float64(got[min(len(got)-1, int(p*float64(len(got))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1.0), "max-ms")
	if skipped > 0 {
		b.ReportMetric(float64(skipped), "ticks-no-idle-person")
	}
}

// Kind is the start of a bot's message with digits blanked, to log the mix
// of answers a Load got and check each line of the Script gets one.
func Kind(text string) string {
	if i := strings.IndexAny(text, "\n.?:"); i > 0 {
		text = text[:i]
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'N'
		}
		return r
	}, text)
}
