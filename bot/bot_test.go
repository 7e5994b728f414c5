package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A redelivered platform event (same ID) is handled once.
func TestRedeliveredEventHandledOnce(t *testing.T) {
	b, store := newTestBot(t)
	ctx := context.Background()
	m := chat.Message{EventID: "Ev1", Platform: "test", ChannelID: "dm", User: person("amy"), Text: "I need a new keyboard"}
	first := b.Handle(ctx, m)
	if len(first) == 0 {
		t.Fatal("no reply to the first delivery")
	}
	if again := b.Handle(ctx, m); again != nil {
		t.Errorf("redelivery answered again: %+v", again)
	}
	if _, err := store.Conversation(ctx, conversationKey(m.Place(), m.User)); err != nil {
		t.Fatal(err)
	}
	s, err := loadIntake(ctx, store, conversationKey(m.Place(), m.User))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Messages) != 1 {
		t.Errorf("conversation holds %d messages, want 1", len(s.Messages))
	}
}

// The KB buttons do what typing yes/no does.
func TestKBButtons(t *testing.T) {
	b, store := newTestBot(t)
	ctx := context.Background()
	out := say(b, "ben", "my outlook keeps asking for my password")
	if !strings.Contains(out, "might fix it right away") {
		t.Fatalf("no KB offer:\n%s", out)
	}
	replies := b.HandleAction(ctx, chat.Action{Platform: "test", ChannelID: "dm-ben", User: person("ben"), Name: chat.ActionKBFixed, Value: "2"})
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "glad that fixed it") {
		t.Fatalf("replies = %+v", replies)
	}
	ts, err := store.FindTickets(ctx, tickets.TicketFilter{})
	if err != nil || len(ts) != 0 {
		t.Errorf("tickets = %d, %v; want none", len(ts), err)
	}
	unknown := b.HandleAction(ctx, chat.Action{Platform: "test", User: person("ben"), Name: "explode"})
	if len(unknown) != 1 || !strings.Contains(unknown[0].Text, "not one I know") {
		t.Errorf("unknown action replies = %+v", unknown)
	}
}

// Many people reporting at once all get tickets: no SQLITE_BUSY, no lost
// or mixed-up conversations.
func TestConcurrentConversations(t *testing.T) {
	b, store := newTestBot(t)
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("u%d", i)
			for _, line := range []string{"I need a new headset", "calls", "desk 4"} {
				say(b, user, line)
			}
			if out := say(b, user, "/mine"); !strings.Contains(out, "Hardware request") {
				errs <- user + ": " + out
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	ts, err := store.FindTickets(context.Background(), tickets.TicketFilter{Limit: 1000})
	if err != nil || len(ts) != n {
		t.Fatalf("tickets = %d, %v; want %d", len(ts), err, n)
	}
}

// "/new PROBLEM" drops the report in progress and starts one with the
// problem, as typing it after "/new" would.
func TestNewWithProblem(t *testing.T) {
	b, _ := newTestBot(t)
	say(b, "amy", "I need a new keyboard")
	got := say(b, "amy", "/new my laptop can't reach the VPN since this morning")
	if strings.Contains(got, "fresh report") || !strings.Contains(got, "/article vpn-") {
		t.Errorf("/new with a problem answered:\n%s\nwant the VPN report's KB offer", got)
	}
	if got := say(b, "amy", "/new"); !strings.Contains(got, "fresh report") {
		t.Errorf("/new alone answered %q", got)
	}
}

func TestExtraWords(t *testing.T) {
	ticket := chat.Arg{Usage: "N", Kind: chat.ArgTicket}
	word := chat.Arg{Usage: "full", Kind: chat.ArgWord, Optional: true}
	into := chat.Arg{Usage: "M", Kind: chat.ArgTicket, Prefix: "into"}
	text := chat.Arg{Usage: "text", Kind: chat.ArgText}
	for _, tc := range []struct {
		name string
		args []chat.Arg
		in   string
		want string
	}{
		{"one ticket", []chat.Arg{ticket}, "1", ""},
		{"one ticket, two given", []chat.Arg{ticket}, "1 2", "2"},
		{"optional word", []chat.Arg{ticket, word}, "1 full", ""},
		{"past the optional word", []chat.Arg{ticket, word}, "1 full of it", "of it"},
		{"prefix counts", []chat.Arg{ticket, into}, "1 into 2", ""},
		{"past the prefix", []chat.Arg{ticket, into}, "1 into 2 3", "3"},
		{"text takes the rest", []chat.Arg{ticket, text}, "1 any words at all", ""},
		{"no arguments declared", nil, "this", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := extraWords(chat.Command{Name: "x", Args: tc.args}, tc.in); got != tc.want {
				t.Errorf("extraWords(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
