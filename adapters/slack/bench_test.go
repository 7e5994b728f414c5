package slack

import (
	"fmt"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
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
	load := &chattest.Load{People: people, Rate: rate}
	// Each round a new person (slackfake knows them all) in the DM.
	userID := func(person, round int) string { return fmt.Sprintf("UL%04dR%d", person, round) }
	channel := func(person int) string { return fmt.Sprintf("DUL%04d", person) }
	byChannel := map[string]int{}
	for i := range people {
		byChannel[channel(i)] = i
	}
	fake := newFakeSlack(b, slackfake.Options{OnPost: func(p slackfake.Post) {
		if i, ok := byChannel[p.Channel]; ok && p.Method == "chat.postMessage" {
			load.Answered(i, p.At)
		}
	}})
	// Unpaced: each person writes again 20 ms after an answer, where Slack
	// lets a bot post about once a second per channel (helpdesk bench
	// measures with pacing and people who take seconds to answer).
	r := newRig(b, rigOptions{socket: true, fake: fake, workers: 4, unpaced: true})
	load.Send = func(n, person, round int, text string) {
		fake.send("events_api",
			messageEvent(fmt.Sprintf("EvL%d", n), channel(person), "im", userID(person, round), text, fmt.Sprintf("1900000000.%06d", n), ""))
	}
	load.Run(b)
	if testing.Verbose() {
		// The mix of answers, to check each line of the script gets one.
		kinds := map[string]int{}
		for _, p := range fake.Posts(0) {
			kinds[chattest.Kind(p.Body())]++
		}
		for k, n := range kinds {
			b.Logf("%5d × %.70q", n, k)
		}
	}
	r.stop()
}
