package slack

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkSocketMode measures the whole Slack path: message events in over
// the Socket Mode websocket, acknowledged, run through the real core on
// SQLite by the worker pool, answered with chat.postMessage through the
// slack-go client. 200 people hold intake conversations in their DMs at
// once; each sends its next message after the answer to the previous one.
// Latency is from writing the envelope to the fake Slack receiving the
// answer. "max" sends as fast as answers come back; "500rps" paces sends
// at 500 messages a second.
//
//	go test -run '^$' -bench SocketMode -benchtime 3000x ./adapters/slack/
func BenchmarkSocketMode(b *testing.B) {
	for _, rate := range []int{0, 500} {
		name := "max"
		if rate > 0 {
			name = fmt.Sprintf("%drps", rate)
		}
		b.Run(name, func(b *testing.B) { benchLoad(b, 200, rate) })
	}
}

// script is what each person says: a report, its answers up to an open
// ticket (with its triage card through the outbox), and a fresh start. The
// next round is a colleague on the same DM channel (another user ID), so
// it is a new report, not a duplicate of the first.
var script = []string{
	"my outlook keeps asking for my password",
	"no",
	"Outlook says: Need password",
	"this morning",
	"I restarted Outlook, no change",
	"just me",
	"I can't work at all",
	"/new",
}

type loadUser struct {
	id, channel string
	step        int
	pending     bool
	sentAt      time.Time
	lastPost    time.Time
}

func benchLoad(b *testing.B, people, rate int) {
	fake := newFakeSlack(b)
	users := make([]*loadUser, people)
	byChannel := map[string]*loadUser{}
	rounds := b.N/(people*len(script)) + 2
	for i := range users {
		id := fmt.Sprintf("UL%04d", i)
		for round := range rounds {
			rid := fmt.Sprintf("%sR%d", id, round)
			fake.addUser(rid, "Load "+rid, rid+"@example.com")
		}
		users[i] = &loadUser{id: id, channel: "D" + id}
		byChannel[users[i].channel] = users[i]
	}
	r := newRig(b, rigOptions{socket: true, fake: fake, workers: 4})

	var mu sync.Mutex
	var lat []time.Duration
	answered := make(chan struct{}, b.N+people)
	fake.mu.Lock()
	fake.onPost = func(p post, at time.Time) {
		u := byChannel[p.Channel]
		if u == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		u.lastPost = at
		if u.pending {
			u.pending = false
			lat = append(lat, at.Sub(u.sentAt))
			answered <- struct{}{}
		}
	}
	fake.mu.Unlock()

	// quiet is how long a person waits after an answer before writing
	// again, so a second part of an answer is not taken for the next one.
	const quiet = 20 * time.Millisecond
	next := 0
	// send sends the next message of an idle person; false when none is.
	send := func(n int) bool {
		mu.Lock()
		now := time.Now()
		var u *loadUser
		for range users {
			c := users[next]
			next = (next + 1) % len(users)
			if !c.pending && now.Sub(c.lastPost) >= quiet {
				u = c
				break
			}
		}
		if u == nil {
			mu.Unlock()
			return false
		}
		u.pending, u.sentAt = true, now
		text := script[u.step%len(script)]
		user := fmt.Sprintf("%sR%d", u.id, u.step/len(script))
		u.step++
		mu.Unlock()
		fake.envelope(fmt.Sprintf("L%d", n), "events_api",
			messageEvent(fmt.Sprintf("EvL%d", n), u.channel, "im", user, text, fmt.Sprintf("1900000000.%06d", n), ""))
		return true
	}

	b.ResetTimer()
	start := time.Now()
	skipped := 0
	if rate == 0 {
		for n := 0; n < b.N; {
			if send(n) {
				n++
				continue
			}
			select {
			case <-answered:
			case <-time.After(time.Millisecond):
			}
		}
	} else {
		tick := time.NewTicker(time.Second / time.Duration(rate))
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
		mu.Lock()
		done := len(lat)
		mu.Unlock()
		if done >= b.N || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	mu.Lock()
	got := slices.Clone(lat)
	mu.Unlock()
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
	if testing.Verbose() {
		kinds := map[string]int{}
		for _, p := range fake.postsSince(0) {
			k := p.body()
			if i := strings.IndexAny(k, "\n.?:"); i > 0 {
				k = k[:i]
			}
			k = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return 'N'
				}
				return r
			}, k)
			kinds[k]++
		}
		for k, n := range kinds {
			b.Logf("%5d × %.70q", n, k)
		}
	}
	r.stop()
}
