package slack

import (
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
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

func benchLoad(b *testing.B, people, rate int) {
	fake := newFakeSlack(b)
	load := &chattest.Load{People: people, Rate: rate}
	userID := func(person, round int) string { return fmt.Sprintf("UL%04dR%d", person, round) }
	channel := func(person int) string { return fmt.Sprintf("DUL%04d", person) }
	byChannel := map[string]int{}
	for i := range people {
		for round := range load.Rounds(b) {
			id := userID(i, round)
			fake.addUser(id, "Load "+id, id+"@example.com")
		}
		byChannel[channel(i)] = i
	}
	// Unpaced: each person writes again 20 ms after an answer, where Slack
	// lets a bot post about once a second per channel (helpdesk bench
	// measures with pacing and people who take seconds to answer).
	r := newRig(b, rigOptions{socket: true, fake: fake, workers: 4, unpaced: true})
	fake.mu.Lock()
	fake.onPost = func(p post, at time.Time) {
		if i, ok := byChannel[p.Channel]; ok {
			load.Answered(i, at)
		}
	}
	fake.mu.Unlock()
	load.Send = func(n, person, round int, text string) {
		fake.envelope(fmt.Sprintf("L%d", n), "events_api",
			messageEvent(fmt.Sprintf("EvL%d", n), channel(person), "im", userID(person, round), text, fmt.Sprintf("1900000000.%06d", n), ""))
	}
	load.Run(b)
	if testing.Verbose() {
		// The mix of answers, to check each line of the script gets one.
		kinds := map[string]int{}
		for _, p := range fake.postsSince(0) {
			kinds[chattest.Kind(p.body())]++
		}
		for k, n := range kinds {
			b.Logf("%5d × %.70q", n, k)
		}
	}
	r.stop()
}
