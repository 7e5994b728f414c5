package discord

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkGateway measures the whole Discord path with the load of the
// Slack benchmark (adapters/slack BenchmarkSocketMode): MESSAGE_CREATE
// dispatches in over the fake gateway websocket, through the real discordgo
// session and the adapter's lanes, run through the real core on SQLite by
// the worker pool (4), answered with a REST message post through
// discordgo; the triage cards go through the outbox dispatcher. 200 people
// hold intake conversations in their DMs with the bot at once; each sends
// its next message after the answer to the previous one. Latency is from
// writing the dispatch to the fake Discord receiving the answer. "max"
// sends as fast as answers come back; "500rps" paces sends at 500 messages
// a second.
//
//	go test -run '^$' -bench Gateway -benchtime 3000x -count 3 ./adapters/discord/
func BenchmarkGateway(b *testing.B) {
	for _, rate := range []int{0, 500} {
		name := "max"
		if rate > 0 {
			name = fmt.Sprintf("%drps", rate)
		}
		b.Run(name, func(b *testing.B) { benchLoad(b, 200, rate) })
	}
}

// script is the Slack benchmark's: a report, its answers up to an open
// ticket (with its triage card through the outbox), and a fresh start. The
// "/new" is DM text, as on Slack: the adapter passes a DM's text to the
// core as it is and the core reads "/new" as its command (the /helpdesk
// application command is the other way in, through interactions). The next
// round is a colleague (another user ID, so another DM channel), so it is a
// new report, not a duplicate of the first.
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
	id       int
	step     int
	pending  bool
	sentAt   time.Time
	lastPost time.Time
}

// loadUserID is person i's Discord user ID in a round of the script.
func loadUserID(i, round int) string { return fmt.Sprintf("81%04d%04d", i, round) }

func benchLoad(b *testing.B, people, rate int) {
	d := newDesk(b, deskOptions{})
	users := make([]*loadUser, people)
	byChannel := map[string]*loadUser{}
	rounds := b.N/(people*len(script)) + 2
	for i := range users {
		users[i] = &loadUser{id: i}
		for round := range rounds {
			byChannel[d.fake.addDM(loadUserID(i, round))] = users[i]
		}
	}

	var mu sync.Mutex
	var lat []time.Duration
	answered := make(chan struct{}, b.N+people)
	d.fake.mu.Lock()
	d.fake.onCreate = func(channel string) {
		at := time.Now()
		u := byChannel[channel]
		if u == nil {
			return // the triage channel and its threads
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
	d.fake.mu.Unlock()
	mark := d.fake.mark()

	// quiet is how long a person waits after an answer before writing
	// again, so a second part of an answer is not taken for the next one.
	const quiet = 20 * time.Millisecond
	next := 0
	// send sends the next message of an idle person; false when none is.
	send := func() bool {
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
		user := loadUserID(u.id, u.step/len(script))
		u.step++
		mu.Unlock()
		d.dm(user, text)
		return true
	}

	b.ResetTimer()
	start := time.Now()
	skipped := 0
	if rate == 0 {
		for n := 0; n < b.N; {
			if send() {
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
			if send() {
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
		// The mix of messages created, by where and how they begin, to
		// check each message of the script gets one answer.
		kinds := map[string]int{}
		for _, c := range d.fake.callsSince(mark) {
			if c.Method != "POST" || !strings.HasSuffix(c.Path, "/messages") {
				continue
			}
			var p post
			_ = json.Unmarshal(c.Body, &p)
			where := "dm"
			if byChannel[strings.Split(strings.TrimPrefix(c.Path, "/channels/"), "/")[0]] == nil {
				where = "other"
			}
			k := p.text()
			if i := strings.IndexAny(k, "\n.?:"); i > 0 {
				k = k[:i]
			}
			k = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return 'N'
				}
				return r
			}, k)
			kinds[where+" "+k]++
		}
		for k, n := range kinds {
			b.Logf("%5d × %.70q", n, k)
		}
	}
	d.stop()
}
