package bot

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// A crash after the scheduler queued its messages and before any was
// delivered loses nothing: after the restart each is delivered once, and
// the jobs running again (the catch-up at start) queue nothing more.
func TestCrashBetweenQueueAndDelivery(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.delivered()
	d.now = testNow.Add(4 * time.Hour)
	if n, err := d.bot.runTimers(context.Background()); err != nil || n != 2 {
		t.Fatalf("runTimers = %d, %v; want the response warning and breach", n, err)
	}
	if _, err := d.bot.agentDigests(context.Background(), d.now); err != nil {
		t.Fatal(err)
	}
	d.restart() // nothing was delivered
	for range 2 {
		if n, err := d.bot.runTimers(context.Background()); err != nil || n != 0 {
			t.Fatalf("after the restart runTimers fired %d (%v), want 0", n, err)
		}
		if n, _ := d.bot.agentDigests(context.Background(), d.now); n != 0 {
			t.Fatalf("after the restart the digest was queued again")
		}
	}
	got := d.delivered()
	if count(got, "#triage", "SLA warning: #1") != 1 || count(got, "#triage", "SLA BREACH: #1") != 1 {
		t.Errorf("after the restart: %v", got)
	}
	if again := d.delivered(); len(again) != 0 {
		t.Errorf("delivered again: %v", again)
	}
}

// A platform down for a while then back gets every message once, in the
// order queued per conversation.
func TestPlatformDownThenBack(t *testing.T) {
	d := newDesk(t)
	var down atomic.Bool
	down.Store(true)
	d.sender.Fail = func(chat.Delivery) error {
		if down.Load() {
			return errors.New("503 service unavailable")
		}
		return nil
	}
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/reply 1 first")
	d.run("dana", "/reply 1 second")
	for i := 0; i < 5; i++ { // an hour of failed attempts with backoff
		d.now = d.now.Add(12 * time.Minute)
		d.delivered()
	}
	if len(d.sender.Keys()) != 0 {
		t.Fatalf("sent while down: %v", d.sender.Keys())
	}
	down.Store(false)
	d.now = d.now.Add(time.Hour)
	got := d.delivered()
	amy := strings.Join(got["@amy"], "\n")
	if strings.Count(amy, "first") != 1 || strings.Count(amy, "second") != 1 || strings.Index(amy, "first") > strings.Index(amy, "second") {
		t.Errorf("after the outage amy got:\n%s", amy)
	}
	if len(got["#triage"]) == 0 {
		t.Error("the triage channel got nothing after the outage")
	}
}

// prune forgets inbound event IDs older than a week, not newer ones.
func TestPruneEventIDs(t *testing.T) {
	d := newDesk(t)
	m := chat.Message{EventID: "Ev1", Platform: "test", ChannelID: "dm", User: person("amy"), Text: "I need a new keyboard"}
	d.bot.Handle(context.Background(), m)
	if n, err := d.bot.prune(context.Background(), testNow.Add(6*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("prune after 6 days = %d, %v; want nothing forgotten", n, err)
	}
	if again := d.bot.Handle(context.Background(), m); again != nil {
		t.Fatal("a redelivery within the week was handled again")
	}
	if n, err := d.bot.prune(context.Background(), testNow.Add(8*24*time.Hour)); err != nil || n != 1 {
		t.Errorf("prune after 8 days = %d, %v; want the one ID forgotten", n, err)
	}
}
