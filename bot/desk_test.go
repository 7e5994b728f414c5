package bot

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// The one fixture of this package's white-box tests (other packages use
// bot/bottest, which imports this one and so cannot serve it): the core
// with a tiered team on a real SQLite file, the built-in KB, a dispatcher
// whose deliveries a test reads, and a clock the test moves.

var testNow = time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)

// desk is a running core and what surrounds it.
type desk struct {
	t      testing.TB
	bot    *Bot
	store  *sqlite.Store
	live   *kb.Live // the KB, which takes published articles at once
	sender *chattest.Sender
	disp   *outbox.Dispatcher
	now    time.Time // the injected clock; tests move it
	path   string    // the database file, for restarts
	cfg    Config
	opts   Options // the core's collaborators a test set
}

// testConfig is the desk's team: Dana and Tom at tier 1, Sam and Sue at
// tier 2, Max at tier 3, Mia a manager and Ada an admin; triage in
// test:triage and a tier-2 channel.
func testConfig() Config {
	return Config{
		Agents: []Agent{
			{Name: "Dana", IDs: []string{"test:dana"}, Tier: 1, Role: RoleAgent},
			{Name: "Tom", IDs: []string{"test:tom"}, Tier: 1, Role: RoleAgent},
			{Name: "Sam", IDs: []string{"test:sam"}, Tier: 2, Role: RoleAgent},
			{Name: "Sue", IDs: []string{"test:sue"}, Tier: 2, Role: RoleAgent},
			{Name: "Max", IDs: []string{"test:max"}, Tier: 3, Role: RoleAgent},
			{Name: "Mia", IDs: []string{"test:mia"}, Tier: 1, Role: RoleManager},
			{Name: "Ada", IDs: []string{"test:ada"}, Tier: 1, Role: RoleAdmin},
		},
		Triage:  tickets.Place{Platform: "test", ChannelID: "triage"},
		Teams:   []Team{{Name: "tier2", Tier: 2, Place: tickets.Place{Platform: "test", ChannelID: "tier2"}}},
		Catalog: DefaultCatalog(),
	}
}

// newDesk starts a desk on testConfig; setup, when given, changes the
// config or the core's options (a model, say) before the core is built.
func newDesk(t testing.TB, setup ...func(*Config, *Options)) *desk {
	t.Helper()
	d := &desk{t: t, sender: &chattest.Sender{}, now: testNow, path: filepath.Join(t.TempDir(), "hd.db"), cfg: testConfig()}
	for _, f := range setup {
		f(&d.cfg, &d.opts)
	}
	d.open()
	return d
}

// open builds the store, core and dispatcher over d.path.
func (d *desk) open() {
	d.t.Helper()
	store, err := sqlite.Open(context.Background(), d.path)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { store.Close() })
	arts, err := kb.Builtin()
	if err != nil {
		d.t.Fatal(err)
	}
	clock := func() time.Time { return d.now }
	opts := d.opts
	opts.Now, opts.Articles = clock, store
	d.live = kb.NewLive(arts, nil)
	b, err := New(store, d.live, d.cfg, opts)
	if err != nil {
		d.t.Fatal(err)
	}
	d.store, d.bot = store, b
	d.disp = outbox.New(store, map[string]chat.Sender{"test": d.sender}, clock, nil)
}

// restart is a crash and a new start: the store is closed without
// delivering anything, and a new store, bot and dispatcher open the same
// database file. The platform (the sender) is the same.
func (d *desk) restart() {
	d.t.Helper()
	d.store.Close()
	d.open()
}

// newTestBot is a desk's core and store, for tests that need no more.
func newTestBot(t testing.TB) (*Bot, *sqlite.Store) {
	t.Helper()
	d := newDesk(t)
	return d.bot, d.store
}

func person(id string) tickets.Person {
	return tickets.Person{Platform: "test", UserID: id, Name: id}
}

// say sends text from user in their DM and returns the replies' text.
func say(b *Bot, user, text string) string { return sayAs(b, person(user), text) }

// sayAs sends text from p in their DM on p's platform.
func sayAs(b *Bot, p tickets.Person, text string) string {
	m := chat.Message{Platform: p.Platform, ChannelID: "dm-" + p.UserID, User: p, Text: text, DM: true}
	var out []string
	for _, r := range b.Handle(context.Background(), m) {
		out = append(out, r.Text)
	}
	return strings.Join(out, "\n")
}

// run sends a command or message as user and returns the replies' text.
func (d *desk) run(user, text string) string {
	d.t.Helper()
	return say(d.bot, user, text)
}

// delivered delivers the outbox and returns what each recipient got, by
// "#channel" or "@user", since the last call.
func (d *desk) delivered() map[string][]string {
	d.t.Helper()
	before := len(d.sender.Sent())
	if _, err := d.disp.DeliverDue(context.Background()); err != nil {
		d.t.Fatal(err)
	}
	got := map[string][]string{}
	for _, dl := range d.sender.Sent()[before:] {
		to := "#" + dl.Msg.To.ChannelID
		if dl.Msg.UserID != "" {
			to = "@" + dl.Msg.UserID
		}
		got[to] = append(got[to], dl.Msg.Text)
	}
	return got
}

func (d *desk) ticket(id int64) *tickets.Ticket {
	d.t.Helper()
	tk, err := d.store.Ticket(context.Background(), id)
	if err != nil {
		d.t.Fatal(err)
	}
	return tk
}

// openVPN files an incident for user through intake and returns its number.
func (d *desk) openVPN(user string) int64 {
	d.t.Helper()
	out := ""
	for _, text := range []string{
		`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`,
		"no", "just me", "I can't work at all",
	} {
		out = d.run(user, text)
	}
	i := strings.Index(out, "Ticket #")
	if i < 0 {
		d.t.Fatalf("no ticket opened:\n%s", out)
	}
	var id int64
	for _, c := range out[i+len("Ticket #"):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

// finish answers intake's questions until a ticket opens and returns the
// last reply.
func (d *desk) finish(user, out string) string {
	d.t.Helper()
	answers := []struct{ q, a string }{
		{"fix it? Reply", "no"}, {"Which device", "laptop"}, {"error message", "skip"},
		{"When did this start", "this morning"}, {"What have you tried", "nothing yet"},
		{"Which of these fits best", "other"}, {"Who is affected", "just me"},
		{"How much is this stopping you", "I can't work at all"},
		// Several facts asked in one turn get one answer that gives them all.
		{"quick things", "it started this morning, nothing tried yet, just me and I can't work at all"},
	}
	for i := 0; i < 10 && !strings.Contains(out, " is open"); i++ {
		answered := false
		for _, qa := range answers {
			if strings.Contains(out, qa.q) {
				out, answered = d.run(user, qa.a), true
				break
			}
		}
		if !answered {
			d.t.Fatalf("no answer for:\n%s", out)
		}
	}
	return out
}
