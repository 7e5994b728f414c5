package discord

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// gated holds the core's /status work until released, to show the
// interaction was answered before the work ended. entered is closed when
// the work reaches the core.
type gated struct {
	core
	release chan struct{}
	entered chan struct{}
	once    sync.Once
	done    atomic.Bool
}

func (g *gated) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	if strings.HasPrefix(m.Text, "/status") {
		g.once.Do(func() { close(g.entered) })
		<-g.release
		defer g.done.Store(true)
	}
	return g.core.Handle(ctx, m)
}

func TestDeferredAnswerForSlowWork(t *testing.T) {
	t.Parallel()
	g := &gated{release: make(chan struct{}), entered: make(chan struct{})}
	d := newDesk(t, deskOptions{wrap: func(c core) core { g.core = c; return g }})
	f := d.fake
	reportInDM(t, d, alice)
	m := f.mark()
	d.slash(discordfake.Triage, dana, "status", "ticket", 1)
	c, _ := f.waitCall(m, "POST", "/callback", `"type":5`)
	if g.done.Load() {
		t.Fatal("the work finished before the interaction was answered")
	}
	if !strings.Contains(string(c.Body), `"flags":64`) {
		t.Errorf("deferred answer in a server channel is not ephemeral: %s", c.Body)
	}
	// The work is held in the core: all the adapter does before asking
	// the core is done, so an early follow-up would be there by now.
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the work never reached the core")
	}
	if n := f.count(m, "POST", "/webhooks/"+discordfake.AppID+"/", ""); n != 0 {
		t.Fatalf("%d follow-ups before the work ended", n)
	}
	close(g.release)
	c, _ = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "#1")
	if !strings.Contains(string(c.Body), `"flags":64`) {
		t.Errorf("follow-up not ephemeral: %s", c.Body)
	}
}

func TestInteractionDeliveredTwiceHandledOnce(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	card := reportInDM(t, d, alice)
	m := f.mark()
	id := d.fake.NewID()
	data := map[string]any{"custom_id": card.button(t, "Claim"), "component_type": 2}
	d.interact(id, discordfake.Triage, dana, nil, 3, data)
	f.waitCall(m, "PATCH", "/channels/"+discordfake.Triage+"/messages/", "Assigned: Dana")
	d.interact(id, discordfake.Triage, dana, nil, 3, data) // the same event again
	_, _ = f.waitCall(m, "POST", "/callback", `"type":6`)
	// A marker in the same lane (dana in the triage channel): the adapter
	// runs a lane's work in arrival order, so once the marker is answered
	// the second delivery's work has ended; then whatever it queued in the
	// outbox (a card edit) is given time to go out.
	mk := f.mark()
	d.slash(discordfake.Triage, dana, "status", "ticket", 1)
	f.waitCall(mk, "POST", "/webhooks/"+discordfake.AppID+"/", "#1")
	d.drained()
	// Follow-ups of the claim, by its interaction token: not the marker's.
	if n := f.count(m, "POST", "/webhooks/"+discordfake.AppID+"/tok-"+id, ""); n != 1 {
		t.Errorf("%d follow-ups for one claim, want 1", n)
	}
	if n := f.count(m, "PATCH", "/channels/"+discordfake.Triage+"/messages/", ""); n != 1 {
		t.Errorf("card edited %d times for one claim, want 1", n)
	}
	evs, err := d.store.Events(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	claims := 0
	for _, e := range evs {
		if strings.Contains(strings.ToLower(string(e.Kind)), "claim") || strings.Contains(strings.ToLower(string(e.Kind)), "assign") {
			claims++
		}
	}
	if claims != 1 {
		t.Errorf("%d claim events, want 1: %+v", claims, evs)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	f.AddFault(discordfake.Fault{Method: "POST", Path: "/channels/" + discordfake.Triage + "/messages", N: 1, Status: 429,
		Body: `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`})
	reportInDM(t, d, alice)
	d.waitSent("ticket:1:created:triage")
	tries := f.count(0, "POST", "/channels/"+discordfake.Triage+"/messages", "incident")
	if created := f.Stats().Posts[discordfake.Triage]; tries != 2 || created != 1 {
		t.Errorf("card posted %d times, created %d; want a 429 then one success", tries, created)
	}
	msg, err := d.store.OutboxMessage(t.Context(), "ticket:1:created:triage")
	if err != nil {
		t.Fatal(err)
	}
	if msg.SentAt.IsZero() || msg.Attempts < 1 || !strings.Contains(strings.ToLower(msg.LastError), "rate limit") {
		t.Errorf("outbox card: sent %v, attempts %d, last error %q", msg.SentAt, msg.Attempts, msg.LastError)
	}
}

func TestRestartDeliversUndeliveredOnce(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	// Discord is down for the triage channel; the first answer of the
	// retry after the restart is lost after Discord took the message.
	endOutage := f.AddFault(discordfake.Fault{Method: "POST", Path: "/channels/" + discordfake.Triage + "/messages", Status: 503, Body: `{"message":"upstream","code":0}`})
	dm := discordfake.DMChannel(alice)
	m := f.mark()
	d.dm(alice, vpnReport)
	c, m := f.waitCall(m, "POST", "/channels/"+dm+"/messages", "might fix it right away")
	d.click(dm, alice, nil, decode(t, c).button(t, "Still broken"))
	_, m = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Who is affected")
	d.dm(alice, "just me")
	_, m = f.waitCall(m, "POST", "/channels/"+dm+"/messages", "How much")
	d.dm(alice, "I can't work at all")
	f.waitCall(m, "POST", "/channels/"+discordfake.Triage+"/messages", "incident") // tried, refused
	d.stop()

	endOutage()
	f.AddFault(discordfake.Fault{Method: "POST", Path: "/channels/" + discordfake.Triage + "/messages", N: 1, Status: 500, Body: `{"message":"lost","code":0}`, Lost: true})
	d.start(deskOptions{}) // new store, core and dispatcher on the same file
	d.waitSent("ticket:1:created:triage")
	// No event reaches this life: the dispatcher is all that posts, and
	// once the outbox is drained it has nothing left to send.
	d.drained()
	if n := f.Stats().Posts[discordfake.Triage]; n != 1 {
		t.Errorf("%d triage cards in Discord, want exactly 1", n)
	}
	if n := f.count(0, "POST", "/channels/"+dm+"/messages", "is open"); n != 1 {
		t.Errorf("confirmation posted %d times, want 1", n)
	}
}

// drained waits until the outbox holds nothing undelivered: every live
// message, due now or later, claimed or not, has been sent (and so reached
// the fake) or given up.
func (d *desk) drained() {
	d.t.Helper()
	d.bd.Drained()
}

// waitSent waits until the outbox message key is marked sent.
func (d *desk) waitSent(key string) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msg, err := d.store.OutboxMessage(context.Background(), key)
		if err == nil && !msg.SentAt.IsZero() {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%s not delivered: %+v %v", key, msg, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// held is a core whose every message waits until released, as one
// replying into rate limits did.
type held struct {
	core
	release chan struct{}
	done    atomic.Int32
}

func (h *held) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	<-h.release
	defer h.done.Add(1)
	return h.core.Handle(ctx, m)
}

// TestInteractionsAnsweredWhileWorkersBusy: with every worker held in the
// core, twenty /helpdesk commands from twenty people are all answered
// before any of them is handled: the gateway reader records them and moves
// on. (Before the inbox, the fifth waited for a worker, and the test timed
// out.)
func TestInteractionsAnsweredWhileWorkersBusy(t *testing.T) {
	t.Parallel()
	h := &held{release: make(chan struct{})}
	d := newDesk(t, deskOptions{wrap: func(c core) core { h.core = c; return h }})
	defer close(h.release)
	f := d.fake
	m := f.mark()
	var ids []string
	for n := range 20 {
		ids = append(ids, d.slash(discordfake.Triage, strconv.Itoa(800+n), "help")) // one person each, so no two share a lane
	}
	for _, id := range ids {
		f.waitCall(m, "POST", "/interactions/"+id+"/tok-"+id+"/callback", `"type":5`)
	}
	if n := h.done.Load(); n != 0 {
		t.Errorf("%d commands were handled before all were answered", n)
	}
}
