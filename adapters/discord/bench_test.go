package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
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

// loadUserID is person i's Discord user ID in a round of the script.
// Each round is a colleague (another user ID, so another DM channel). The
// script's "/new" is DM text, as on Slack: the adapter passes a DM's text
// to the core as it is and the core reads "/new" as its command.
func loadUserID(i, round int) string { return fmt.Sprintf("81%04d%04d", i, round) }

func benchLoad(b *testing.B, people, rate int) {
	load := &chattest.Load{People: people, Rate: rate}
	byChannel := map[string]int{}
	for i := range people {
		for round := range load.Rounds(b) {
			byChannel[discordfake.DMChannel(loadUserID(i, round))] = i
		}
	}
	// A message created in a person's DM answers them (not the triage
	// channel and its threads).
	answered := func(p discordfake.Post) {
		if i, ok := byChannel[p.Channel]; ok && p.Answers() {
			load.Answered(i, p.At)
		}
	}
	d := newDesk(b, deskOptions{fake: discordfake.Options{OnPost: answered}})
	mark := d.fake.mark()
	load.Send = func(_, person, round int, text string) { d.dm(loadUserID(person, round), text) }
	load.Run(b)
	// What /metrics would say of the gateway's acks (each message read to
	// recorded): how many were timed, and the bucket bound under which
	// 99% fall.
	_, acks, _ := d.acks.Snapshot()
	b.ReportMetric(float64(acks)/float64(b.N), "acks-timed/op")
	b.ReportMetric(d.acks.Bound(0.99)*1000, "ack-hist-p99-le-ms")
	if testing.Verbose() {
		// The mix of messages created, by where and how they begin, to
		// check each message of the script gets one answer.
		kinds := map[string]int{}
		for _, c := range d.fake.Calls(mark) {
			if c.Method != "POST" || !strings.HasSuffix(c.Path, "/messages") {
				continue
			}
			var p post
			_ = json.Unmarshal(c.Body, &p)
			where := "dm"
			if _, ok := byChannel[strings.Split(strings.TrimPrefix(c.Path, "/channels/"), "/")[0]]; !ok {
				where = "other"
			}
			kinds[where+" "+chattest.Kind(p.text())]++
		}
		for k, n := range kinds {
			b.Logf("%5d × %.70q", n, k)
		}
	}
	d.stop()
}
