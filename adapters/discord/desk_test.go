package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

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
	gw      *gwConn
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
	wrap   func(core) core // wraps the real core (a slow one)
	dbPath string          // reuse a database (a restart)
}

func newDesk(t testing.TB, o deskOptions) *desk {
	t.Helper()
	d := &desk{t: t, fake: newFakeDiscord(t), dbPath: o.dbPath}
	if d.dbPath == "" {
		d.dbPath = filepath.Join(t.TempDir(), "hd.db")
	}
	d.start(o)
	return d
}

// start builds and runs the program's objects over d.dbPath: the desk
// (bottest), and the adapter on the real discordgo session in front of it.
func (d *desk) start(o deskOptions) {
	t := d.t
	ctx, cancel := context.WithCancel(context.Background())
	cfg := bottest.PlatformConfig(Platform, triageChan, dana, agentRole, sam)
	bd := bottest.New(t, bottest.Options{Config: cfg, Path: d.dbPath, RealTime: true})
	var c core = bd.Bot
	if o.wrap != nil {
		c = o.wrap(c)
	}
	s, err := NewSession("test-token", 0, 1, &http.Client{Transport: d.fake.transport(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.ShouldReconnectOnError = false
	in := chat.NewInbox(bd.Store, bd.Workers, chat.InboxOptions{Poll: 50 * time.Millisecond})
	d.acks = &chat.Latency{}
	a := New(Config{Guilds: []string{fakeGuild}, HelpChannels: []string{helpChannel}, RegisterCommands: true}, s, s, c, bd.Workers,
		Options{Inbox: in, Outbox: bd.Store, OutboxWake: func() { bd.Outbox.Wake() }, GatewayAcks: d.acks})
	bd.AddSender(Platform, a)
	bd.RunOutbox()
	var wg sync.WaitGroup
	wg.Go(func() { _ = a.Run(ctx) })
	wg.Go(func() { in.Run(ctx) })
	d.bd, d.store, d.core, d.workers, d.disp, d.adapter, d.session, d.inbox = bd, bd.Store, bd.Bot, bd.Workers, bd.Outbox, a, s, in
	d.gw = d.fake.conn()
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

var msgSeq struct {
	sync.Mutex
	n int
}

// snowflake returns a fresh event ID for the test's dispatches.
func snowflake() string {
	msgSeq.Lock()
	defer msgSeq.Unlock()
	msgSeq.n++
	return "5" + strings.Repeat("0", 8) + itoa(msgSeq.n)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func author(user string) map[string]any {
	return map[string]any{"id": user, "username": "user" + user, "global_name": "User " + user}
}

// dm sends a direct message from user to the bot and returns its ID.
func (d *desk) dm(user, text string) string {
	d.t.Helper()
	id := snowflake()
	ch := d.fake.addDM(user)
	if err := d.gw.dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": ch, "type": 0, "content": text, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": author(user),
	}); err != nil {
		d.t.Fatal(err)
	}
	return id
}

// say sends a guild message in channel, with the given roles and mentions.
func (d *desk) say(channel, user, text string, roles []string, mentionBot bool) string {
	d.t.Helper()
	id := snowflake()
	mentions := []any{}
	if mentionBot {
		mentions = append(mentions, map[string]any{"id": fakeBotID, "username": "helpbot", "bot": true})
	}
	if roles == nil {
		roles = []string{}
	}
	if err := d.gw.dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": channel, "guild_id": fakeGuild, "type": 0, "content": text,
		"timestamp": time.Now().UTC().Format(time.RFC3339), "author": author(user), "mentions": mentions,
		"member": map[string]any{"roles": roles},
	}); err != nil {
		d.t.Fatal(err)
	}
	return id
}

// interact sends an INTERACTION_CREATE and returns its ID. In a guild
// channel the user is a member with roles; in a DM a plain user.
func (d *desk) interact(id, channel, user string, roles []string, typ int, data any) string {
	d.t.Helper()
	return d.interactOn(id, channel, user, roles, typ, data, nil)
}

// interactOn is interact for a component of message msg (nil for none).
func (d *desk) interactOn(id, channel, user string, roles []string, typ int, data any, msg map[string]any) string {
	d.t.Helper()
	if id == "" {
		id = snowflake()
	}
	ev := map[string]any{"id": id, "application_id": fakeAppID, "type": typ, "token": "tok-" + id, "version": 1, "channel_id": channel, "data": data}
	if msg != nil {
		ev["message"] = msg
	}
	if strings.HasPrefix(channel, "7") { // the fake's DM channels
		ev["user"] = author(user)
	} else {
		if roles == nil {
			roles = []string{}
		}
		ev["guild_id"] = fakeGuild
		ev["member"] = map[string]any{"user": author(user), "roles": roles}
	}
	if err := d.gw.dispatch("INTERACTION_CREATE", ev); err != nil {
		d.t.Fatal(err)
	}
	return id
}

// click presses a button with custom_id on a message.
func (d *desk) click(channel, user string, roles []string, customID string) string {
	return d.interact("", channel, user, roles, 3, map[string]any{"custom_id": customID, "component_type": 2})
}

// press presses the button labelled label on the message the bot posted
// with call c, as Discord sends it: with the message, as it stands, in the
// interaction.
func (d *desk) press(t *testing.T, c restCall, user string, roles []string, label string) string {
	t.Helper()
	var msg map[string]any
	if err := json.Unmarshal(c.Resp, &msg); err != nil || msg["id"] == nil {
		t.Fatalf("no posted message in the answer to %s %s: %s", c.Method, c.Path, c.Resp)
	}
	channel, _ := msg["channel_id"].(string)
	data := map[string]any{"custom_id": decode(t, c).button(t, label), "component_type": 2}
	return d.interactOn(snowflake(), channel, user, roles, 3, data, msg)
}

// slash runs /helpdesk sub with options (name → value).
func (d *desk) slash(channel, user string, roles []string, sub string, opts ...any) string {
	var os []any
	for i := 0; i+1 < len(opts); i += 2 {
		typ := 3
		if _, ok := opts[i+1].(int); ok {
			typ = 4
		}
		os = append(os, map[string]any{"name": opts[i], "type": typ, "value": opts[i+1]})
	}
	top := chat.SlashHelpdesk
	if c, ok := chat.Named(d.core.Commands(), sub); ok {
		top = c.Slash
	}
	return d.interact("", channel, user, roles, 2, map[string]any{"id": "1", "name": top, "type": 1,
		"options": []any{map[string]any{"name": sub, "type": 1, "options": os}}})
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

func decode(t *testing.T, c restCall) post {
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
