// Package bottest is a real help desk for tests, like go-joe's joetest:
// the desk core on a SQLite database in a temporary directory, the
// built-in knowledge base, an outbox dispatcher, a worker pool, a fake
// chat platform that records what it is sent, and a clock the test moves.
// Adapter tests put their adapter in front of it and their Sender beside
// the fake; nothing in it is a mock of the desk's own parts.
package bottest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// Platform is the fake platform's name: people of the default desk are
// "test:NAME", and what the desk sends there is recorded in Desk.Sent.
const Platform = "test"

// Wednesday is the clock's start unless Options.Now says otherwise:
// Wednesday 18 November 2026, 14:30 UTC, inside business hours.
var Wednesday = time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)

// Options shape a Desk; the zero value is the default desk.
type Options struct {
	// Config is the desk's configuration; zero means Config(Platform).
	Config bot.Config
	// Core adjusts the core's options (a model, an article store) before
	// the core is built; Now, Notify and Logger are the harness's.
	Core func(o *bot.Options)
	// Searcher is the knowledge base; nil means the built-in articles.
	Searcher bot.Searcher
	// Path is the database file, to open one a test made before; ""
	// makes a new one in a temporary directory.
	Path string
	// Now is the clock's start; zero means Wednesday.
	Now time.Time
	// RealTime runs the desk on the wall clock instead, for tests over
	// real connections whose retries and timeouts must elapse.
	RealTime bool
	// Workers and Timeout size the worker pool; 0 means 4 workers with a
	// 10 s timeout each.
	Workers int
	Timeout time.Duration
	// Log receives the desk's logs; nil discards them.
	Log *slog.Logger
}

// Desk is a running help desk. Its clock stands still until the test moves
// it with SetNow or Advance. The dispatcher delivers only when the test
// calls Deliver, or after RunOutbox.
type Desk struct {
	T       testing.TB
	Path    string
	Config  bot.Config
	Store   *sqlite.Store
	Bot     *bot.Bot
	Outbox  *outbox.Dispatcher
	Workers *chat.Workers
	// Sent is the fake platform "test": every outbox message for it is
	// recorded here; set Sent.Fail to make it refuse.
	Sent *chattest.Sender

	opts    Options
	senders map[string]chat.Sender
	mu      sync.Mutex
	now     time.Time
	stop    context.CancelFunc
	wg      sync.WaitGroup
	closed  bool
}

// Config is the default desk on platform: agents Dana and Tom at tier 1,
// Sam and Sue at tier 2, Max at tier 3, Mia a manager and Ada an admin,
// each "PLATFORM:name" (dana, tom, …); triage in channel "triage" and a
// tier-2 team channel "tier2"; the default service catalog.
func Config(platform string) bot.Config {
	agent := func(name string, tier int, role bot.Role) bot.Agent {
		return bot.Agent{Name: name, IDs: []string{platform + ":" + strings.ToLower(name)}, Tier: tier, Role: role}
	}
	return bot.Config{
		Agents: []bot.Agent{
			agent("Dana", 1, bot.RoleAgent), agent("Tom", 1, bot.RoleAgent),
			agent("Sam", 2, bot.RoleAgent), agent("Sue", 2, bot.RoleAgent),
			agent("Max", 3, bot.RoleAgent), agent("Mia", 1, bot.RoleManager), agent("Ada", 1, bot.RoleAdmin),
		},
		Triage:  tickets.Place{Platform: platform, ChannelID: "triage"},
		Teams:   []bot.Team{{Name: "tier2", Tier: 2, Place: tickets.Place{Platform: platform, ChannelID: "tier2"}}},
		Catalog: bot.DefaultCatalog(),
	}
}

// PlatformConfig is the desk an adapter test puts in front of a fake
// platform: Dana, a tier-1 agent by user ID; the "Service desk", tier-1
// agents by membership of group (a Slack user group, a Discord role); Sam
// at tier 2 by user ID; triage in channel triage; commands typed as
// subcommands of the slash commands there.
func PlatformConfig(platform, triage, dana, group, sam string) bot.Config {
	return bot.Config{
		Agents: []bot.Agent{
			{Name: "Dana", IDs: []string{platform + ":" + dana}, Tier: 1, Role: bot.RoleAgent},
			{Name: "Service desk", Groups: []string{platform + ":" + group}, Tier: 1, Role: bot.RoleAgent},
			{Name: "Sam", IDs: []string{platform + ":" + sam}, Tier: 2, Role: bot.RoleAgent},
		},
		Triage:  tickets.Place{Platform: platform, ChannelID: triage},
		Catalog: bot.DefaultCatalog(),
		Slash:   map[string]bool{platform: true},
	}
}

// New starts a desk; it is closed when the test ends.
func New(t testing.TB, o Options) *Desk {
	t.Helper()
	if o.Config.Triage.Platform == "" && len(o.Config.Agents) == 0 {
		o.Config = Config(Platform)
	}
	if o.Path == "" {
		o.Path = filepath.Join(t.TempDir(), "hd.db")
	}
	if o.Now.IsZero() {
		o.Now = Wednesday
	}
	if o.Workers == 0 {
		o.Workers = 4
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	d := &Desk{T: t, Path: o.Path, Config: o.Config, opts: o, now: o.Now, Sent: &chattest.Sender{}}
	d.senders = map[string]chat.Sender{Platform: d.Sent}
	d.open()
	d.Workers = chat.NewWorkers(o.Workers, o.Timeout)
	t.Cleanup(d.Close)
	return d
}

// open builds the store, core and dispatcher over d.Path.
func (d *Desk) open() {
	t := d.T
	t.Helper()
	store, err := sqlite.Open(context.Background(), d.Path)
	if err != nil {
		t.Fatal(err)
	}
	searcher := d.opts.Searcher
	if searcher == nil {
		arts, err := kb.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		searcher = kb.NewIndex(arts)
	}
	disp := outbox.New(store, d.senders, d.Now, d.opts.Log)
	disp.Poll = 20 * time.Millisecond
	opts := bot.Options{Now: d.Now, Logger: d.opts.Log, Notify: disp.Wake}
	if d.opts.Core != nil {
		d.opts.Core(&opts)
	}
	core, err := bot.New(store, searcher, d.Config, opts)
	if err != nil {
		t.Fatal(err)
	}
	d.Store, d.Bot, d.Outbox = store, core, disp
}

// AddSender makes the dispatcher deliver platform's messages through s,
// an adapter under test. Call it before RunOutbox.
func (d *Desk) AddSender(platform string, s chat.Sender) { d.senders[platform] = s }

// RunOutbox delivers in the background from now until Close, as the
// running program does.
func (d *Desk) RunOutbox() {
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	d.wg.Go(func() { d.Outbox.Run(ctx) })
}

// Deliver sends every outbox message due now and returns how many went.
func (d *Desk) Deliver() int {
	d.T.Helper()
	n, err := d.Outbox.DeliverDue(context.Background())
	if err != nil {
		d.T.Fatal(err)
	}
	return n
}

// Drained waits, on a desk whose outbox runs (RunOutbox), until nothing
// in the outbox is undelivered: every live message, due now or later,
// claimed or not, has been sent or given up.
func (d *Desk) Drained() {
	d.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left, err := d.Store.DueOutbox(context.Background(), d.Now().Add(48*time.Hour), 10)
		if err != nil {
			d.T.Fatalf("outbox: %v", err)
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			d.T.Fatalf("outbox never drained: %d left, first %q (%s)", len(left), left[0].Key, left[0].LastError)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Now is the desk's clock.
func (d *Desk) Now() time.Time {
	if d.opts.RealTime {
		return time.Now()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.now
}

// SetNow sets the clock (not the wall clock of a RealTime desk).
func (d *Desk) SetNow(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.now = t
}

// Advance moves the clock on by dur.
func (d *Desk) Advance(dur time.Duration) { d.SetNow(d.Now().Add(dur)) }

// Restart is a crash and a new start: the store is closed without
// delivering anything, and a new store, core and dispatcher open the same
// database file. The platforms are the same.
func (d *Desk) Restart() {
	d.T.Helper()
	d.halt()
	d.Store.Close()
	d.open()
}

// Close stops the dispatcher and the workers and closes the store. It may
// be called more than once.
func (d *Desk) Close() {
	if d.closed {
		return
	}
	d.closed = true
	d.halt()
	if d.Workers != nil {
		d.Workers.Close()
	}
	d.Store.Close()
}

func (d *Desk) halt() {
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
	d.wg.Wait()
}

// Person is someone on the fake platform.
func Person(id string) tickets.Person {
	return tickets.Person{Platform: Platform, UserID: id, Name: id}
}

// Say sends text from user in their DM on the fake platform and returns
// the replies' text, one per line.
func (d *Desk) Say(user, text string) string {
	m := chat.Message{Platform: Platform, ChannelID: "dm-" + user, User: Person(user), Text: text, DM: true}
	return joined(d.Bot.Handle(context.Background(), m))
}

// Press presses a button as user in their DM and returns the replies' text.
func (d *Desk) Press(user, action, value string) string {
	a := chat.Action{Platform: Platform, ChannelID: "dm-" + user, User: Person(user), Name: action, Value: value}
	return joined(d.Bot.HandleAction(context.Background(), a))
}

func joined(rs []chat.Reply) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return strings.Join(out, "\n")
}
