package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
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

// BenchmarkMineAcrossPlatforms is /mine of a person with an e-mail address
// among 20,000 tickets of 2,000 people: the linked keys, the lookup of
// their accounts by e-mail (an index on the contact) and the tickets of
// every account.
func BenchmarkMineAcrossPlatforms(b *testing.B) {
	d := newDesk(b)
	ctx := context.Background()
	err := d.store.InTx(ctx, func(tx tickets.Tx) error {
		for i := range 20000 {
			p := tickets.Person{Platform: []string{"slack", "discord"}[i%2], UserID: fmt.Sprint("U", i%2000), Contact: fmt.Sprintf("user%d@example.com", i%2000)}
			tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusOpen, Priority: tickets.P3, Category: tickets.CategoryOther,
				Summary: fmt.Sprint("problem ", i), Requester: p, Tier: 1, CreatedAt: d.now, UpdatedAt: d.now}
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	m := chat.Message{Platform: "slack", ChannelID: "D1", User: tickets.Person{Platform: "slack", UserID: "U7", Contact: "user7@example.com"}, Text: "/mine", DM: true}
	for b.Loop() {
		if r := d.bot.Handle(ctx, m); len(r) == 0 || !strings.Contains(r[0].Text, "Your tickets (10)") {
			b.Fatalf("reply %v", r)
		}
	}
}
