package console

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// fakeCore records what the console hands the bot.
type fakeCore struct {
	mu     sync.Mutex
	handle func(m chat.Message) []chat.Reply
	got    []chat.Message
	acts   []chat.Action
}

func (f *fakeCore) HandleAction(_ context.Context, a chat.Action) []chat.Reply {
	f.mu.Lock()
	f.acts = append(f.acts, a)
	f.mu.Unlock()
	return []chat.Reply{{Text: "pressed " + a.Name + " " + a.Value}}
}

func (f *fakeCore) FormFor(action string) (chat.Form, bool) {
	return chat.Form{Action: action}, action == chat.ActionReply
}

func (f *fakeCore) Commands() []chat.Command {
	return []chat.Command{{Name: chat.ActionReply, Args: []chat.Arg{{Name: "ticket", Usage: "N"}, {Name: "text", Usage: "text"}}}}
}

func (f *fakeCore) Handle(_ context.Context, m chat.Message) []chat.Reply {
	f.mu.Lock()
	f.got = append(f.got, m)
	f.mu.Unlock()
	return f.handle(m)
}

// inline runs work on the caller's goroutine.
type inline struct{}

func (inline) Do(ctx context.Context, fn func(context.Context)) error { fn(ctx); return nil }

func TestConsoleIdentityAndReplies(t *testing.T) {
	core := &fakeCore{handle: func(m chat.Message) []chat.Reply {
		return []chat.Reply{{Text: "hello " + m.User.Display() + "\nsecond line", Buttons: []tickets.Button{{Label: "Yes"}, {Label: "No"}}}}
	}}
	var out strings.Builder
	in := strings.NewReader("hi\n/as dana\nhi\n/as Alice\n/whoami\n/as\n/quit\nnever read\n")
	c := New(in, &out, core, inline{}, tickets.Person{UserID: "alice", Name: "Alice Smith", Contact: "a@x"})
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(core.got) != 2 {
		t.Fatalf("bot got %d messages, want 2 (commands of the console itself are not sent)", len(core.got))
	}
	if u := core.got[0].User; u.Platform != Platform || u.UserID != "alice" || u.Contact != "a@x" {
		t.Errorf("first sender = %+v", u)
	}
	if u := core.got[1].User; u.UserID != "dana" {
		t.Errorf("second sender = %+v, want dana after /as", u)
	}
	for _, want := range []string{
		"alice> bot: hello Alice Smith\n     second line\n     [1 Yes]  [2 No]  — type /press and the number\n",
		"You are now dana.", "bot: hello dana",
		"You are now Alice Smith.", // back to yourself restores the profile
		"You are Alice Smith.", "Usage: /as NAME", "bye",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConsoleSendLabelsRecipient(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader(""), &out, &fakeCore{}, inline{}, tickets.Person{UserID: "alice"})
	send := func(d chat.Delivery) {
		t.Helper()
		if ref, err := c.Send(context.Background(), d); err != nil || ref != d.Msg.Key {
			t.Errorf("Send(%s) = %q, %v; want its key as the reference", d.Msg.Key, ref, err)
		}
	}
	send(chat.Delivery{Msg: &tickets.OutboxMessage{Key: "new", To: tickets.Place{ChannelID: "triage"}, Text: "New ticket\nline 2"}})
	send(chat.Delivery{Msg: &tickets.OutboxMessage{Key: "reply", To: tickets.Place{ChannelID: "console"}, UserID: "bob", Text: "Reply"}})
	send(chat.Delivery{Msg: &tickets.OutboxMessage{Key: "card", To: tickets.Place{ChannelID: "triage"}, Text: "Claimed"}, EditRef: "new"})
	for _, want := range []string{"[message for #triage] New ticket\n     line 2", "[message for bob] Reply", "[#triage card updated] Claimed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestReadLineCapsLength(t *testing.T) {
	long := strings.Repeat("x", maxLine+5000)
	r := bufio.NewReaderSize(strings.NewReader(long+"\nnext\n"), 16)
	got, err := readLine(r)
	if err != nil || len(got) != maxLine {
		t.Fatalf("readLine = %d bytes, %v; want %d", len(got), err, maxLine)
	}
	if next, _ := readLine(r); next != "next\n" {
		t.Errorf("the line after a long one = %q", next)
	}
}

// A terminal cannot click: buttons are numbered and /press N presses one,
// as a click would; a button that opens a form says what to type instead.
// Markdown from articles reads as plain text.
func TestConsolePressAndPlainText(t *testing.T) {
	core := &fakeCore{handle: func(m chat.Message) []chat.Reply {
		return []chat.Reply{{Text: "## Try this first\n1. **Restart** the `VPN` client, see [the guide](https://intranet/vpn).", Buttons: []tickets.Button{
			{Label: "Still fixed", Action: chat.ActionStillFixed, Value: "7"},
			{Label: "Reply", Action: chat.ActionReply, Value: "7"},
		}}}
	}}
	var out strings.Builder
	in := strings.NewReader("hi\n/press 1\n/press 2\n/press 9\n/press\n")
	c := New(in, &out, core, inline{}, tickets.Person{UserID: "alice"})
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(core.acts) != 1 || core.acts[0].Name != chat.ActionStillFixed || core.acts[0].Value != "7" || core.acts[0].User.UserID != "alice" {
		t.Errorf("actions = %+v, want one still_fixed 7 by alice", core.acts)
	}
	for _, want := range []string{
		"Try this first\n     --------------\n     1. Restart the VPN client, see the guide (https://intranet/vpn).",
		"[1 Still fixed]  [2 Reply]  — type /press and the number",
		"bot: pressed still_fixed 7",
		`"Reply" opens a form; here, type it as a command: /reply 7 text`,
		"Usage: /press N, where N is 1 to 2",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "**") || strings.Contains(out.String(), "##") {
		t.Errorf("markdown marks reached the terminal:\n%s", out.String())
	}
}

// What a line sends through the outbox shows right after its reply, before
// the next prompt, when Settle delivers it; one that arrives while the
// person is at the prompt gets the prompt back after it.
func TestConsoleSettleKeepsOrder(t *testing.T) {
	core := &fakeCore{handle: func(m chat.Message) []chat.Reply { return []chat.Reply{{Text: "ok " + m.Text}} }}
	var out strings.Builder
	c := New(strings.NewReader("one\ntwo\n"), &out, core, inline{}, tickets.Person{UserID: "alice"})
	n := 0
	c.Settle = func(ctx context.Context) {
		n++
		c.Send(ctx, chat.Delivery{Msg: &tickets.OutboxMessage{Key: "k", To: tickets.Place{ChannelID: "triage"}, Text: "card " + strconv.Itoa(n)}})
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "alice> bot: ok one\n[message for #triage] card 1\nalice> bot: ok two\n[message for #triage] card 2\nalice> \n(end of input — bye)\n"
	if out.String() != want {
		t.Errorf("output:\n%q\nwant:\n%q", out.String(), want)
	}
	out.Reset()
	c.prompt()
	c.Send(context.Background(), chat.Delivery{Msg: &tickets.OutboxMessage{Key: "k", To: tickets.Place{ChannelID: "triage"}, Text: "late"}})
	if got := out.String(); got != "alice> \n[message for #triage] late\nalice> " {
		t.Errorf("a message at the prompt printed as %q", got)
	}
}
