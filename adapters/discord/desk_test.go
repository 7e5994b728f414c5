package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// desk is the help desk as cmd/helpdesk builds it — SQLite store, built-in
// KB, core, workers, outbox dispatcher — on the real discordgo session
// talking to a fake Discord.
type desk struct {
	t       testing.TB
	fake    *fakeDiscord
	dbPath  string
	store   *sqlite.Store
	core    *bot.Bot
	workers *chat.Workers
	disp    *outbox.Dispatcher
	bd      *bottest.Desk
	adapter *Adapter
	inbox   *chat.Inbox
	acks    *chat.Latency // the adapter's gateway ack times
	session *discordgo.Session
	stop    func()
}

// Discord users of the tests. dana is an agent by ID, rolf by role.
const (
	alice     = "601"
	bob       = "602"
	dana      = "501"
	rolf      = "502"
	sam       = "503" // tier 2
	agentRole = "7777"
)

type deskOptions struct {
	wrap   func(core) core     // wraps the real core (a slow one)
	dbPath string              // reuse a database (a restart)
	fake   discordfake.Options // the fake Discord's (KeepCalls is always on)
}

func newDesk(t testing.TB, o deskOptions) *desk {
	t.Helper()
	d := &desk{t: t, fake: newFake(t, o.fake), dbPath: o.dbPath}
	if d.dbPath == "" {
		d.dbPath = filepath.Join(t.TempDir(), "hd.db")
	}
	d.start(o)
	return d
}

// fakeDiscord is discordfake's Discord as the tests use it: every REST
// call logged, the bot granted the permissions its invite asks for, and
// waits and drivers that fail the test rather than return an error.
type fakeDiscord struct {
	*discordfake.Server
	t testing.TB
}

func newFake(t testing.TB, o discordfake.Options) *fakeDiscord {
	t.Helper()
	o.KeepCalls = true
	if o.Everyone == 0 { // the bot holds what its invite asks for, no more
		o.Everyone = Permissions
	}
	s, err := discordfake.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &fakeDiscord{s, t}
}

// client is an HTTP client for discordgo that talks to the fake.
func (f *fakeDiscord) client() *http.Client {
	return &http.Client{Transport: f.Transport(), Timeout: 10 * time.Second}
}

// mark is the number of REST calls so far: later waits look after it.
func (f *fakeDiscord) mark() int { return len(f.Calls(0)) }

// waitCall waits for a call after mark matching method, path and, when
// non-empty, a body substring (discordfake.Call.Matches), and returns it
// with the mark after it.
func (f *fakeDiscord) waitCall(mark int, method, path, has string) (discordfake.Call, int) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, next, err := f.WaitCall(ctx, mark, method, path, has)
	if err != nil {
		f.t.Fatal(err)
	}
	return c, next
}

// count counts the calls after mark matching method, path and body.
func (f *fakeDiscord) count(mark int, method, path, has string) int {
	n := 0
	for _, c := range f.Calls(mark) {
		if c.Matches(method, path, has) {
			n++
		}
	}
	return n
}

// must is a driver's ID, failing the test on its error.
func (f *fakeDiscord) must(id string, err error) string {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// start builds and runs the program's objects over d.dbPath: the desk
// (bottest), and the adapter on the real discordgo session in front of it.
func (d *desk) start(o deskOptions) {
	t := d.t
	ctx, cancel := context.WithCancel(context.Background())
	cfg := bottest.PlatformConfig(Platform, discordfake.Triage, dana, agentRole, sam)
	bd := bottest.New(t, bottest.Options{Config: cfg, Path: d.dbPath, RealTime: true})
	var c core = bd.Bot
	if o.wrap != nil {
		c = o.wrap(c)
	}
	s, err := NewSession("test-token", 0, 1, d.fake.client())
	if err != nil {
		t.Fatal(err)
	}
	s.ShouldReconnectOnError = false
	in := chat.NewInbox(bd.Store, bd.Workers, chat.InboxOptions{Poll: 50 * time.Millisecond})
	d.acks = &chat.Latency{}
	a := New(Config{Guilds: []string{discordfake.Guild}, HelpChannels: []string{discordfake.Help}, RegisterCommands: true}, s, s, c, bd.Workers,
		Options{Inbox: in, Outbox: bd.Store, OutboxWake: func() { bd.Outbox.Wake() }, GatewayAcks: d.acks})
	bd.AddSender(Platform, a)
	bd.RunOutbox()
	var wg sync.WaitGroup
	wg.Go(func() { _ = a.Run(ctx) })
	wg.Go(func() { in.Run(ctx) })
	d.bd, d.store, d.core, d.workers, d.disp, d.adapter, d.session, d.inbox = bd, bd.Store, bd.Bot, bd.Workers, bd.Outbox, a, s, in
	d.waitHealthy()
	stopped := false
	d.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		wg.Wait()
		// As the program stops: the workers, then the events they
		// handled recorded handled, then the store.
		bd.Workers.Close()
		wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer wcancel()
		if err := in.Wait(wctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		bd.Close()
	}
	t.Cleanup(d.stop)
}

// waitSettled waits until every event recorded was handled, its replies
// posted or queued.
func (d *desk) waitSettled() {
	d.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !d.inbox.Settled(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			d.t.Fatal("events still being handled after 10 s")
		}
	}
}

func (d *desk) waitHealthy() {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for d.adapter.Health() != nil {
		if time.Now().After(deadline) {
			d.t.Fatalf("adapter not healthy: %v", d.adapter.Health())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// dm sends a direct message from user to the bot and returns its ID.
func (d *desk) dm(user, text string) string {
	d.t.Helper()
	return d.fake.must(d.fake.DM(user, text))
}

// say sends a guild message in channel, with the given roles and mentions.
func (d *desk) say(channel, user, text string, roles []string, mentionBot bool) string {
	d.t.Helper()
	return d.fake.must(d.fake.Say(channel, user, text, roles, mentionBot))
}

// interact sends an INTERACTION_CREATE of type typ (a new one when id is
// empty) and returns its ID. In a guild channel the user is a member with
// roles; in a DM a plain user.
func (d *desk) interact(id, channel, user string, roles []string, typ int, data any) string {
	d.t.Helper()
	return d.fake.must(d.fake.Interact(discordfake.Interaction{ID: id, Type: typ, User: user, Channel: channel, Roles: roles, Data: data}))
}

// click presses a button with custom_id on a message.
func (d *desk) click(channel, user string, roles []string, customID string) string {
	return d.interact("", channel, user, roles, 3, map[string]any{"custom_id": customID, "component_type": 2})
}

// press presses the button labelled label on the message the bot posted
// with call c, as Discord sends it: with the message, as it stands, in the
// interaction.
func (d *desk) press(t *testing.T, c discordfake.Call, user string, roles []string, label string) string {
	t.Helper()
	var msg map[string]any
	if err := json.Unmarshal(c.Resp, &msg); err != nil || msg["id"] == nil {
		t.Fatalf("no posted message in the answer to %s %s: %s", c.Method, c.Path, c.Resp)
	}
	channel, _ := msg["channel_id"].(string)
	data := map[string]any{"custom_id": decode(t, c).button(t, label), "component_type": 2}
	return d.fake.must(d.fake.Interact(discordfake.Interaction{Type: 3, User: user, Channel: channel, Roles: roles, Data: data, Message: msg}))
}

// slash runs /helpdesk sub (or the command sub belongs to) with options
// given as name, value pairs.
func (d *desk) slash(channel, user string, sub string, opts ...any) string {
	d.t.Helper()
	top := chat.SlashHelpdesk
	if c, ok := chat.Named(d.core.Commands(), sub); ok {
		top = c.Slash
	}
	return d.fake.must(d.fake.Command(user, channel, top, sub, opts...))
}

// submit sends a modal submission with field values, each text input in
// a Label (type 18), as Discord documents modals now.
func (d *desk) submit(channel, user string, roles []string, customID string, fields map[string]string) string {
	var rows []any
	n := 0
	for k, v := range fields {
		n += 2
		rows = append(rows, map[string]any{"type": 18, "id": n - 1, "component": map[string]any{"type": 4, "id": n, "custom_id": k, "value": v}})
	}
	return d.interact("", channel, user, roles, 5, map[string]any{"custom_id": customID, "components": rows})
}

// submitRows is submit in the older layout, text inputs in action rows.
func (d *desk) submitRows(channel, user string, roles []string, customID string, fields map[string]string) string {
	var rows []any
	for k, v := range fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": k, "value": v}}})
	}
	return d.interact("", channel, user, roles, 5, map[string]any{"custom_id": customID, "components": rows})
}

// post is a message the bot posted, decoded.
type post struct {
	Content    string `json:"content"`
	Flags      int    `json:"flags"`
	Components []struct {
		Components []struct {
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
	Embeds []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"embeds"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
}

func decode(t *testing.T, c discordfake.Call) post {
	t.Helper()
	var p post
	if err := json.Unmarshal(c.Body, &p); err != nil {
		t.Fatalf("decode %s: %v", c.Body, err)
	}
	return p
}

// button finds the custom_id of the button labelled label.
func (p post) button(t *testing.T, label string) string {
	t.Helper()
	for _, r := range p.Components {
		for _, b := range r.Components {
			if b.Label == label {
				return b.CustomID
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, p.Components)
	return ""
}

func (p post) text() string {
	s := p.Content
	for _, e := range p.Embeds {
		s += e.Title + "\n" + e.Description
	}
	return s
}

func (d *desk) ticket(id int64) *tickets.Ticket {
	d.t.Helper()
	tk, err := d.store.Ticket(context.Background(), id)
	if err != nil {
		d.t.Fatalf("ticket %d: %v", id, err)
	}
	return tk
}
