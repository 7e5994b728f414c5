package bot

import (
	"context"
	"fmt"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// BenchmarkIntakeMessage is one inbound report message end to end in the
// core: sanitising, secret masking, extraction, the duplicate lookup, KB
// search over the built-in articles and the durable write of the
// conversation state to SQLite (WAL), in one transaction.
func BenchmarkIntakeMessage(b *testing.B) {
	bot, _ := newTestBot(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		m := chat.Message{Platform: "test", ChannelID: "dm", User: person(fmt.Sprint("u", i)),
			Text: `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`}
		if r := bot.Handle(ctx, m); len(r) == 0 {
			b.Fatal("no reply")
		}
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkIntakeAnswer is a follow-up answer: load the stored state,
// apply the answer, save it.
func BenchmarkIntakeAnswer(b *testing.B) {
	bot, _ := newTestBot(b)
	ctx := context.Background()
	m := chat.Message{Platform: "test", ChannelID: "dm", User: person("u"), Text: "my printer on floor 2 is offline since this morning"}
	bot.Handle(ctx, m)
	m.Text = "no"
	bot.Handle(ctx, m) // now asked for the error message; "start over" loops back
	for b.Loop() {
		m.Text = "it says Printer offline 0x0000011b"
		if r := bot.Handle(ctx, m); len(r) == 0 {
			b.Fatal("no reply")
		}
		m.Text = "start over"
		bot.Handle(ctx, m)
		m.Text = "my printer on floor 2 is offline since this morning"
		bot.Handle(ctx, m)
		m.Text = "no"
		bot.Handle(ctx, m)
	}
}
