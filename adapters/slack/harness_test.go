package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// The people and places of the test workspace.
const (
	triageChannel = "CTRIAGE"
	helpChannel   = "CHELP"
	agentID       = "UDANA"  // an agent by user ID
	tier2ID       = "USAM"   // a tier 2 agent
	groupAgentID  = "UGRACE" // an agent through the SDESK user group
	deskGroup     = "SDESK"
	aliceID       = "UALICE" // employees
	bobID         = "UBOB"
	signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
)

// rig is the real help desk (bottest) with the Slack adapter on the real
// slack-go client, talking to a fake Slack.
type rig struct {
	t       testing.TB
	fake    *fakeSlack
	db      string
	desk    *bottest.Desk
	store   *sqlite.Store
	core    *bot.Bot
	workers *chat.Workers
	inbox   *chat.Inbox
	disp    *outbox.Dispatcher // nil for a quiet rig
	ad      *Adapter
	acks    *chat.Latency // the adapter's Socket Mode ack times
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	seq     atomic.Int64 // for ts
	nwork   int          // workers in the pool, for idle
}

type rigOptions struct {
	socket  bool
	db      string
	fake    *fakeSlack
	workers int
	quiet   bool // no dispatcher: outbox messages stay queued
	// lease is the inbox's claim on an event; 0 is its default.
	lease time.Duration
	// unpaced turns pacing off, for benchmarks whose simulated people
	// write far faster than Slack lets a bot answer in one channel.
	unpaced bool
}

func newRig(t testing.TB, opts rigOptions) *rig {
	t.Helper()
	if opts.fake == nil {
		opts.fake = newFakeSlack(t, slackfake.Options{})
	}
	if opts.db == "" {
		opts.db = filepath.Join(t.TempDir(), "hd.db")
	}
	if opts.workers == 0 {
		opts.workers = 4
	}
	r := &rig{t: t, fake: opts.fake, db: opts.db, nwork: opts.workers, acks: &chat.Latency{}}
	gen := opts.fake.Connections()
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	cfg := testConfig()
	log := slog.New(slog.DiscardHandler)
	r.desk = bottest.New(t, bottest.Options{Config: cfg, Path: opts.db, Workers: opts.workers, RealTime: true, Log: log})
	r.store, r.core, r.workers = r.desk.Store, r.desk.Bot, r.desk.Workers
	r.inbox = chat.NewInbox(r.store, r.workers, chat.InboxOptions{Poll: 50 * time.Millisecond, Lease: opts.lease, Logger: log})
	var rates map[string]chat.Rate // nil: Slack's limits
	if opts.unpaced {
		rates = map[string]chat.Rate{}
	}
	var err error
	r.ad, err = New(Options{
		Rates:    rates,
		BotToken: "xoxb-test", AppToken: "xapp-test", SocketMode: opts.socket, SigningSecret: signingSecret,
		APIURL: opts.fake.APIURL(), Core: r.core, Pool: r.workers, Inbox: r.inbox,
		Outbox: r.store, OutboxWake: func() { r.desk.Outbox.Wake() },
		IsAgent:      r.core.IsAgent,
		HelpChannels: []string{helpChannel}, AgentGroups: []string{deskGroup},
		PingInterval: 2 * time.Second, Logger: log, SocketAcks: r.acks,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.ad.sleep = func(ctx context.Context, d time.Duration) error { return sleepCtx(ctx, d/50) }
	r.desk.AddSender(Platform, r.ad)
	r.wg.Add(2)
	go func() { defer r.wg.Done(); _ = r.ad.Run(ctx) }()
	go func() { defer r.wg.Done(); r.inbox.Run(ctx) }()
	if !opts.quiet {
		r.disp = r.desk.Outbox
		r.desk.RunOutbox()
	}
	t.Cleanup(r.stop)
	if opts.socket {
		r.fake.waitFor("a new Socket Mode connection", func() bool { return r.fake.Connections() > gen })
		r.waitHealthy()
	}
	return r
}

// stop shuts the rig down: adapter, dispatcher, workers, store. It may be
// called twice.
func (r *rig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.wg.Wait()
	// As the program stops: the workers, then the events they handled
	// recorded handled, then the store.
	r.workers.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := r.inbox.Wait(ctx); err != nil {
		r.t.Errorf("stop: %v", err)
	}
	r.desk.Close()
	r.cancel = nil
}

// testConfig is the desk: Dana by ID, members of SDESK by group, Sam at
// tier 2, triage in CTRIAGE.
func testConfig() bot.Config {
	return bottest.PlatformConfig(Platform, triageChannel, agentID, deskGroup, tier2ID)
}

func (r *rig) waitHealthy() {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.ad.Health() != nil {
		if time.Now().After(deadline) {
			r.t.Fatalf("never healthy: %v", r.ad.Health())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ts is a fresh message timestamp for inbound posts.
func (r *rig) ts() string { return fmt.Sprintf("1800000000.%06d", r.seq.Add(1)) }

// dm sends a DM from user over Socket Mode and waits for the bot's answer
// in that DM; it returns the answer posts.
func (r *rig) dm(user, text string) []slackfake.Post {
	r.t.Helper()
	from := r.fake.postCount()
	r.fake.ack(r.fake.sent(r.fake.DM(user, text)))
	return r.answers(from, "D"+user, "")
}

// inThread posts in the help channel (a new post when thread is "") and
// waits for the answers in the thread; it returns them and the thread.
func (r *rig) inThread(user, text, thread string) ([]slackfake.Post, string) {
	r.t.Helper()
	from := r.fake.postCount()
	ts := r.ts()
	r.fake.ack(r.fake.send("events_api", messageEvent("Ev"+ts, helpChannel, "channel", user, text, ts, thread)))
	if thread == "" {
		thread = ts
	}
	return r.answers(from, helpChannel, thread), thread
}

// answers waits until the bot posted in channel/thread after from, and a
// moment more for replies in several parts.
func (r *rig) answers(from int, channel, thread string) []slackfake.Post {
	r.t.Helper()
	match := func(p slackfake.Post) bool {
		return p.Method == "chat.postMessage" && p.Channel == channel && p.ThreadTS == thread
	}
	r.fake.waitPost("an answer in "+channel+" "+thread, from, match)
	time.Sleep(30 * time.Millisecond)
	var out []slackfake.Post
	for _, p := range r.fake.Posts(from) {
		if match(p) {
			out = append(out, p)
		}
	}
	return out
}

// settle is the barrier to pass before asserting that something did not
// happen (a duplicate post, an answer to an ignored event): once it
// returns, every event sent to the Socket Mode connection so far has been
// handled to the end, and everything that queued in the outbox delivered,
// so an unwanted post would already be there. A marker that must be
// answered is no barrier here: the pool runs events on any free worker,
// so one may overtake an earlier one, even from the same person.
//
// It takes three steps. The adapter reads Socket Mode requests one at a
// time, in order, and acknowledges each when its turn comes, before
// routing it and handing its work to the pool; the pool takes a job only
// when a worker does. So once an envelope sent now is acknowledged, every
// earlier one was dropped (ignored, duplicate) or is on a worker. Then
// idle waits for every worker to be free, and drained for the outbox.
// In HTTP mode httpRig.settle takes the first step its own way.
func (r *rig) settle() {
	r.t.Helper()
	if r.ad.socket != nil {
		// A top-level post in a channel the desk does not follow: acked,
		// routed to nothing.
		ts := r.ts()
		r.fake.ack(r.fake.send("events_api", messageEvent("Ev"+ts, "CBARRIER", "channel", bobID, "barrier", ts, "")))
	}
	r.idle()
	r.drained()
}

// idle waits until every worker of the pool is free, by occupying all of
// them at once: jobs handed over before had to end first.
func (r *rig) idle() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Events recorded and acknowledged are handled first.
	for !r.inbox.Settled() {
		if ctx.Err() != nil {
			r.t.Fatal("the inbox never settled")
		}
		time.Sleep(2 * time.Millisecond)
	}
	var in atomic.Int64
	all := make(chan struct{})     // every worker runs a barrier job
	release := make(chan struct{}) // the barrier jobs may end
	defer close(release)
	for range r.nwork {
		go func() {
			_ = r.workers.Submit(ctx, func(context.Context) {
				if in.Add(1) == int64(r.nwork) {
					close(all)
				}
				<-release
			})
		}()
	}
	select {
	case <-all:
	case <-ctx.Done():
		r.t.Fatalf("the worker pool never went idle (%d of %d workers free)", in.Load(), r.nwork)
	}
	// The workers handed their replies to the reply queue: wait for them
	// to be posted too.
	r.ad.Flush()
}

// drained waits, when a dispatcher runs, until the outbox holds nothing
// undelivered: every live message, due now or later, claimed or not, has
// been sent (and so posted to the fake) or given up.
func (r *rig) drained() {
	r.t.Helper()
	if r.disp == nil {
		return
	}
	r.desk.Drained()
}

// outboxMarker queues a message to place through the outbox and waits for
// the dispatcher to post it. Messages of one place go out in the order
// they were queued, so anything still undelivered there went out before
// it. It returns the marker's text, to tell it from the test's posts.
func (r *rig) outboxMarker(place tickets.Place) string {
	r.t.Helper()
	key := "test:marker:" + r.ts()
	from := r.fake.postCount()
	if _, err := r.store.Enqueue(context.Background(), &tickets.OutboxMessage{Key: key, To: place, Text: key}); err != nil {
		r.t.Fatal(err)
	}
	r.disp.Wake()
	r.fake.waitPost("the outbox marker "+key, from, func(p slackfake.Post) bool {
		return p.Method == "chat.postMessage" && p.Channel == place.ChannelID && strings.Contains(p.Body(), key)
	})
	return key
}

// press presses a button of post p as user over Socket Mode.
func (r *rig) press(user string, p slackfake.Post, action string) {
	r.t.Helper()
	r.fake.connected()
	env, ok, err := r.fake.Press(user, p, action)
	if !ok {
		r.t.Fatalf("post has no %s button: %q", action, p.Body())
	}
	r.fake.ack(r.fake.sent(env, err))
}

// card waits for ticket id's triage card and returns it, current.
func (r *rig) card(id int) slackfake.Post {
	r.t.Helper()
	want := fmt.Sprintf("#%d", id)
	p := r.fake.waitPost("triage card "+want, 0, func(p slackfake.Post) bool {
		return p.Method == "chat.postMessage" && p.Channel == triageChannel && p.ThreadTS == "" && strings.Contains(p.Body(), want)
	})
	return r.fake.message(p.Channel, p.TS)
}

// ticket reads ticket id from the store.
func (r *rig) ticket(id int64) *tickets.Ticket {
	r.t.Helper()
	tk, err := r.store.Ticket(context.Background(), id)
	if err != nil {
		r.t.Fatalf("ticket %d: %v", id, err)
	}
	return tk
}

func bodies(ps []slackfake.Post) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Body())
	}
	return strings.Join(out, "\n---\n")
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

// vpnReport is a report the intake fills mostly from the first message.
const vpnReport = `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`

// fakeSlack is slackfake as these tests use it: the test workspace, every
// call, post and ack recorded, and waits that fail the test.
type fakeSlack struct {
	*slackfake.Server
	t testing.TB
}

// newFakeSlack starts slackfake for t with the test workspace (o's Users
// and Groups when unset) and closes it when t ends.
func newFakeSlack(t testing.TB, o slackfake.Options) *fakeSlack {
	t.Helper()
	o.Record = true
	if o.Ping == 0 {
		o.Ping = 100 * time.Millisecond // the rig's slack-go reconnects after 2 s without
	}
	if o.Users == nil {
		o.Users = map[string]slackfake.User{
			aliceID: {Name: "Alice Archer", Email: "alice@example.com"}, bobID: {Name: "Bob Baker", Email: "bob@example.com"},
			agentID: {Name: "Dana Agent", Email: "dana@example.com"}, groupAgentID: {Name: "Grace Group", Email: "grace@example.com"},
			tier2ID: {Name: "Sam Second", Email: "sam@example.com"}, "UCY": {Name: "User CY", Email: "cy@example.com"},
			"UDI": {Name: "User DI", Email: "di@example.com"}, "UED": {Name: "User ED", Email: "ed@example.com"},
			"UFAY": {Name: "User FAY", Email: "fay@example.com"},
		}
	}
	if o.Groups == nil {
		o.Groups = map[string][]string{deskGroup: {groupAgentID}}
	}
	s, err := slackfake.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &fakeSlack{Server: s, t: t}
}

// waitFor waits until cond holds, rechecked at each change the fake sees.
func (f *fakeSlack) waitFor(what string, cond func() bool) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.Wait(ctx, cond); err != nil {
		var got []string
		for _, p := range f.Posts(0) {
			got = append(got, fmt.Sprintf("%s %s thread=%s user=%s: %q", p.Method, p.Channel, p.ThreadTS, p.User, p.Body()))
		}
		f.t.Fatalf("waiting for %s: %v; posts so far:\n%s", what, err, strings.Join(got, "\n"))
	}
}

// connected waits for the bot's Socket Mode connection, for an envelope.
func (f *fakeSlack) connected() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.WaitConnected(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// send sends an envelope once the bot is connected and returns its ID.
func (f *fakeSlack) send(typ string, payload any) string {
	f.t.Helper()
	f.connected()
	return f.sent(f.Send(typ, payload))
}

// command sends /helpdesk text as user in channel; its answer in place
// is a response_url post whose Channel is the returned envelope ID.
func (f *fakeSlack) command(user, channel, text string) string {
	f.t.Helper()
	f.connected()
	return f.sent(f.Command(user, channel, "/helpdesk", text))
}

// sent fails the test on an envelope slackfake could not send.
func (f *fakeSlack) sent(env string, err error) string {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("send envelope: %v", err)
	}
	return env
}

// ack waits for the bot's ack of envelope env and returns its payload.
func (f *fakeSlack) ack(env string) json.RawMessage {
	f.t.Helper()
	var a slackfake.Ack
	f.waitFor("the ack of "+env, func() (ok bool) { a, ok = f.Ack(env); return ok })
	return a.Payload
}

// postCount is how many posts there are so far: a mark for Posts and
// waitPost.
func (f *fakeSlack) postCount() int { return len(f.Posts(0)) }

// waitPost waits for a post after the first from that matches.
func (f *fakeSlack) waitPost(what string, from int, match func(p slackfake.Post) bool) slackfake.Post {
	f.t.Helper()
	var got slackfake.Post
	f.waitFor(what, func() bool {
		for _, p := range f.Posts(from) {
			if match(p) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// message is the message in channel at ts as it stands now.
func (f *fakeSlack) message(channel, ts string) slackfake.Post {
	f.t.Helper()
	m, ok := f.Message(channel, ts)
	if !ok {
		f.t.Fatalf("no message %s:%s", channel, ts)
	}
	return m
}

// callCount counts the Web API calls of method to channel ("": any) so
// far, failed ones too.
func (f *fakeSlack) callCount(method, channel string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Method == method && (channel == "" || c.Params.Get("channel") == channel) {
			n++
		}
	}
	return n
}

// lastView is the modal of the last views.open.
func (f *fakeSlack) lastView() map[string]any {
	f.t.Helper()
	calls := f.Calls()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Method == "views.open" {
			var v map[string]any
			if err := json.Unmarshal([]byte(calls[i].Params.Get("view")), &v); err != nil {
				f.t.Fatalf("views.open: %v", err)
			}
			return v
		}
	}
	f.t.Fatal("no modal opened")
	return nil
}
