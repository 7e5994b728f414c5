package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// crashBeforePost hands event to the core through an inbox whose process
// dies while the answer is being posted (its hold is never released), then
// through the inbox of the next run, which takes the event again once the
// dead claim runs out. It returns the two answers.
func crashBeforePost(t *testing.T, d *desk, handle func(ctx context.Context) []chat.Reply) (first, again []chat.Reply) {
	t.Helper()
	w := chat.NewWorkers(1, time.Minute)
	defer w.Close()
	now := time.Now()
	answers := make(chan []chat.Reply, 2)
	run := func(at time.Time, crash bool) []chat.Reply {
		in := chat.NewInbox(d.store, w, chat.InboxOptions{Poll: 10 * time.Millisecond, Lease: time.Minute, Now: func() time.Time { return at }})
		in.Handle("test", func(ctx context.Context, _ []byte) {
			answers <- handle(ctx)
			if crash {
				chat.Hold(ctx) // the answer's post, cut by the kill
			}
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go in.Run(ctx)
		if at == now {
			if _, err := in.Record(ctx, &tickets.InboundEvent{Key: "test:event:" + t.Name(), Kind: "test", Lane: "l", Payload: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case rs := <-answers:
			return rs
		case <-time.After(10 * time.Second):
			t.Fatal("the event was not handled")
			return nil
		}
	}
	first = run(now, true)
	again = run(now.Add(2*time.Minute), false)
	return first, again
}

// An event whose answer a crash kept from being posted is handled again
// after the restart, and the desk answers it as it did the first time —
// with the secret warning, the next question, the ticket's number —
// changing nothing twice. The same event delivered again outside a crash
// gets no answer (TestRedeliveredEventHandledOnce).
func TestCrashBeforeAnswerPostedAnswersAgain(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup []string // amy's messages before the event
		event func(b *Bot, ctx context.Context) []chat.Reply
		want  string // in the answer
	}{
		{
			name:  "the message that opens the ticket",
			setup: []string{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "no", "just me"},
			event: amySays("I can't work at all"),
			want:  "Ticket #1",
		},
		{
			name:  "a report with a password in it",
			event: amySays("outlook keeps asking for my password, it is hunter2xyz! since this morning"),
			want:  "password",
		},
		{
			name:  "a KB offer's Still broken button",
			setup: []string{"my outlook keeps asking for my password"},
			event: func(b *Bot, ctx context.Context) []chat.Reply {
				return b.HandleAction(ctx, chat.Action{EventID: "EvButton", Platform: "test", ChannelID: "dm-amy", User: person("amy"), Name: chat.ActionKBNotFixed})
			},
			want: "?",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t)
			for _, text := range tc.setup {
				d.run("amy", text)
			}
			var states []string // after each handling
			first, again := crashBeforePost(t, d, func(ctx context.Context) []chat.Reply {
				rs := tc.event(d.bot, ctx)
				states = append(states, deskState(t, d))
				return rs
			})
			if len(first) == 0 || !strings.Contains(replyText(first), tc.want) {
				t.Fatalf("first answer %q, want one with %q", replyText(first), tc.want)
			}
			if f, a := replyJSON(t, first), replyJSON(t, again); f != a {
				t.Errorf("answered after the crash:\n%s\nwant what was answered before it:\n%s", a, f)
			}
			if len(states) != 2 || states[0] != states[1] {
				t.Errorf("handling the event again changed the desk: %q", states)
			}
			if plain := tc.event(d.bot, context.Background()); plain != nil && replyText(plain) != alreadyAnswered {
				t.Errorf("a redelivery outside a crash answered %q", replyText(plain))
			}
			if tks, err := d.store.FindTickets(context.Background(), tickets.TicketFilter{}); err != nil || len(tks) > 1 {
				t.Errorf("%d tickets (%v), want at most one", len(tks), err)
			}
		})
	}
}

// amySays is amy writing text in her DM, as platform event EvText.
func amySays(text string) func(b *Bot, ctx context.Context) []chat.Reply {
	return func(b *Bot, ctx context.Context) []chat.Reply {
		return b.Handle(ctx, chat.Message{EventID: "EvText", Platform: "test", ChannelID: "dm-amy", User: person("amy"), Text: text, DM: true})
	}
}

func replyText(rs []chat.Reply) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Text)
	}
	return strings.Join(out, "\n")
}

func replyJSON(t *testing.T, rs []chat.Reply) string {
	t.Helper()
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// deskState sums up amy's conversation and the tickets, to see that
// answering again changed nothing.
func deskState(t *testing.T, d *desk) string {
	t.Helper()
	ctx := context.Background()
	tks, err := d.store.FindTickets(ctx, tickets.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := d.store.Conversation(ctx, conversationKey(tickets.Place{Platform: "test", ChannelID: "dm-amy"}, person("amy")))
	state := ""
	if err == nil {
		state = string(conv.State)
	}
	return fmt.Sprintf("%d tickets, conversation %q", len(tks), state)
}
