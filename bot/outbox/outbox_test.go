package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

var testNow = time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)

// dispatchFixture is a dispatcher on a real SQLite store, a fake platform
// and a clock the test moves.
type dispatchFixture struct {
	store  tickets.Store
	sender *chattest.Sender
	d      *outbox.Dispatcher
	now    time.Time
}

func newDispatchFixture(t *testing.T) *dispatchFixture {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &dispatchFixture{store: store, sender: &chattest.Sender{}, now: testNow}
	f.d = outbox.New(store, map[string]chat.Sender{"test": f.sender}, func() time.Time { return f.now }, nil)
	return f
}

func (f *dispatchFixture) enqueue(t *testing.T, m *tickets.OutboxMessage) {
	t.Helper()
	if m.To.Platform == "" {
		m.To.Platform = "test"
	}
	m.Created = f.now
	if _, err := f.store.Enqueue(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func (f *dispatchFixture) deliver(t *testing.T) int {
	t.Helper()
	n, err := f.d.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A 429's Retry-After is waited out exactly, not the exponential backoff.
func TestDispatcherHonoursRetryAfter(t *testing.T) {
	f := newDispatchFixture(t)
	limited := true
	f.sender.Fail = func(chat.Delivery) error {
		if limited {
			return chat.RetryAfter(errors.New("ratelimited"), 30*time.Second)
		}
		return nil
	}
	f.enqueue(t, &tickets.OutboxMessage{Key: "a", To: tickets.Place{ChannelID: "c"}, Text: "a"})
	f.deliver(t)
	limited = false
	f.now = f.now.Add(29 * time.Second)
	if n := f.deliver(t); n != 0 {
		t.Fatalf("sent %d before Retry-After elapsed", n)
	}
	f.now = f.now.Add(time.Second)
	if n := f.deliver(t); n != 1 {
		t.Fatalf("sent %d when Retry-After elapsed, want 1", n)
	}
}

// A permanent failure is given up at once and no longer holds its lane; a
// message failing for longer than GiveUp is given up too.
func TestDispatcherGivesUp(t *testing.T) {
	f := newDispatchFixture(t)
	f.sender.Fail = func(d chat.Delivery) error {
		switch d.Msg.Key {
		case "bad":
			return chat.Permanent(errors.New("channel_not_found"))
		case "flaky":
			return errors.New("503")
		}
		return nil
	}
	f.enqueue(t, &tickets.OutboxMessage{Key: "bad", To: tickets.Place{ChannelID: "c"}, Text: "x"})
	f.enqueue(t, &tickets.OutboxMessage{Key: "next", To: tickets.Place{ChannelID: "c"}, Text: "y"})
	f.enqueue(t, &tickets.OutboxMessage{Key: "flaky", To: tickets.Place{ChannelID: "d"}, Text: "z"})
	if n := f.deliver(t); n != 1 || strings.Join(f.sender.Keys(), ",") != "next" {
		t.Fatalf("first pass sent %d (%v), want only next", n, f.sender.Keys())
	}
	f.now = f.now.Add(f.d.GiveUp)
	f.deliver(t)
	dead, err := f.store.DeadOutbox(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range dead {
		keys = append(keys, m.Key)
	}
	if strings.Join(keys, ",") != "flaky,bad" {
		t.Errorf("given up: %v, want flaky (after GiveUp) and bad (permanent)", keys)
	}
}

// An edit of the triage card waits for the card to be sent and gets its
// reference; a thread post gets the thread's reference.
func TestDispatcherResolvesReferences(t *testing.T) {
	f := newDispatchFixture(t)
	cardDown := true
	f.sender.Fail = func(d chat.Delivery) error {
		if d.Msg.Key == "card" && cardDown {
			return errors.New("503")
		}
		return nil
	}
	f.enqueue(t, &tickets.OutboxMessage{Key: "card", To: tickets.Place{ChannelID: "triage"}, Text: "new"})
	// The thread post is in another lane (a DM), so only the reference holds it.
	f.enqueue(t, &tickets.OutboxMessage{Key: "dm", To: tickets.Place{}, UserID: "U1", Thread: "card", Text: "hi"})
	f.enqueue(t, &tickets.OutboxMessage{Key: "edit", To: tickets.Place{ChannelID: "triage"}, Edit: "card", Text: "claimed"})
	f.enqueue(t, &tickets.OutboxMessage{Key: "loose", To: tickets.Place{ChannelID: "x"}, Edit: "never-queued", Text: "z"})
	f.deliver(t)
	if got := strings.Join(f.sender.Keys(), ","); got != "loose" {
		t.Fatalf("while the card is undelivered sent %q, want only the message naming no queued one", got)
	}
	cardDown = false
	f.now = f.now.Add(time.Hour)
	f.deliver(t)
	if got := strings.Join(f.sender.Keys(), ","); got != "loose,card,dm,edit" {
		t.Fatalf("sent %q, want loose,card,dm,edit", got)
	}
	for _, d := range f.sender.Sent() {
		var want chat.Delivery
		switch d.Msg.Key {
		case "dm":
			want.ThreadRef = "ref:card"
		case "edit":
			want.EditRef = "ref:card"
		}
		if d.EditRef != want.EditRef || d.ThreadRef != want.ThreadRef {
			t.Errorf("%s: EditRef %q ThreadRef %q, want %q %q", d.Msg.Key, d.EditRef, d.ThreadRef, want.EditRef, want.ThreadRef)
		}
	}
	m, err := f.store.OutboxMessage(context.Background(), "card")
	if err != nil || m.Ref != "ref:card" {
		t.Errorf("card stored ref %q (%v), want ref:card", m.Ref, err)
	}
}

// Two dispatchers running at once (two replicas, or a shutdown flush over
// a running loop) send each message once.
func TestDispatchersDoNotDoubleSend(t *testing.T) {
	f := newDispatchFixture(t)
	for i := range 40 {
		f.enqueue(t, &tickets.OutboxMessage{Key: fmt.Sprint("m", i), To: tickets.Place{ChannelID: fmt.Sprint("c", i%5)}, Text: "x"})
	}
	other := outbox.New(f.store, map[string]chat.Sender{"test": f.sender}, func() time.Time { return f.now }, nil)
	var wg sync.WaitGroup
	for _, d := range []*outbox.Dispatcher{f.d, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.DeliverDue(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, k := range f.sender.Keys() {
		seen[k]++
	}
	if len(seen) != 40 {
		t.Errorf("%d distinct messages sent, want 40", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", k, n)
		}
	}
}

// blockingSender holds each send until its context ends.
type blockingSender struct{ started chan struct{} }

func (s blockingSender) Send(ctx context.Context, d chat.Delivery) (string, error) {
	close(s.started)
	<-ctx.Done()
	return "", ctx.Err()
}

// A send cut short by shutdown is not a failure: the message is due again
// at once for the final flush or the next start.
func TestDispatcherShutdownReleasesMessage(t *testing.T) {
	f := newDispatchFixture(t)
	f.enqueue(t, &tickets.OutboxMessage{Key: "a", To: tickets.Place{ChannelID: "c"}, Text: "x"})
	started := make(chan struct{})
	f.d.Senders["test"] = blockingSender{started: started}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.d.DeliverDue(ctx); close(done) }()
	<-started
	cancel()
	<-done
	due, err := f.store.DueOutbox(context.Background(), f.now, 10)
	if err != nil || len(due) != 1 || due[0].Key != "a" {
		t.Fatalf("after an interrupted send, due = %+v (%v); want a, at once", due, err)
	}
	f.d.Senders["test"] = f.sender
	if n := f.deliver(t); n != 1 {
		t.Errorf("the flush sent %d, want 1", n)
	}
}

// A failed delivery is retried after a backoff and sent once when the
// platform is back; a platform with no adapter is reported, not dropped.
func TestDispatcherRetries(t *testing.T) {
	f := newDispatchFixture(t)
	store := f.store
	ctx := context.Background()
	now := testNow
	down := true
	sender := &chattest.Sender{Fail: func(chat.Delivery) error {
		if down {
			return errors.New("503 service unavailable")
		}
		return nil
	}}
	d := outbox.New(store, map[string]chat.Sender{"test": sender}, func() time.Time { return now }, nil)
	for _, key := range []string{"a", "b"} {
		if _, err := store.Enqueue(ctx, &tickets.OutboxMessage{Key: key, To: tickets.Place{Platform: "test", ChannelID: "c"}, Text: key, Created: now}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Enqueue(ctx, &tickets.OutboxMessage{Key: "orphan", To: tickets.Place{Platform: "nowhere", ChannelID: "c"}, Text: "x", Created: now}); err != nil {
		t.Fatal(err)
	}
	if n, _ := d.DeliverDue(ctx); n != 0 {
		t.Fatalf("sent %d while the platform is down", n)
	}
	if n, _ := d.DeliverDue(ctx); n != 0 {
		t.Fatalf("retried %d before the backoff elapsed", n)
	}
	down = false
	now = now.Add(2 * time.Second)
	if n, _ := d.DeliverDue(ctx); n != 2 {
		t.Fatalf("sent %d after recovery, want 2", n)
	}
	now = now.Add(time.Hour)
	if n, _ := d.DeliverDue(ctx); n != 0 {
		t.Fatalf("sent %d more: a message went twice", n)
	}
	if got := strings.Join(sender.Keys(), ","); got != "a,b" {
		t.Errorf("delivered %s, want a,b once each in order", got)
	}
	dead, err := store.DeadOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Key != "orphan" || !strings.Contains(dead[0].LastError, `no adapter for platform "nowhere"`) {
		t.Errorf("orphan message = %+v, want it kept as given up with the reason", dead)
	}
}

// barrierSender holds each send until n are in flight at once, so a
// dispatcher that sent one lane after another would never get there.
type barrierSender struct {
	n       int
	mu      sync.Mutex
	started int
	all     chan struct{}
	stuck   bool
	order   map[string][]string // lane → keys in the order sent
}

func (s *barrierSender) Send(ctx context.Context, d chat.Delivery) (string, error) {
	s.mu.Lock()
	s.started++
	if s.started == s.n {
		close(s.all)
	}
	s.mu.Unlock()
	select {
	case <-s.all:
	case <-time.After(10 * time.Second):
		s.mu.Lock()
		s.stuck = true
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order[d.Msg.To.ChannelID] = append(s.order[d.Msg.To.ChannelID], d.Msg.Key)
	return "ref:" + d.Msg.Key, nil
}

// TestDispatcherLanesConcurrent: the heads of different lanes are sent at
// the same time (a slow platform call in one conversation holds up no
// other), while each lane keeps its order.
func TestDispatcherLanesConcurrent(t *testing.T) {
	const lanes, perLane = 8, 3
	f := newDispatchFixture(t)
	s := &barrierSender{n: lanes, all: make(chan struct{}), order: map[string][]string{}}
	f.d.Senders = map[string]chat.Sender{"test": s}
	for i := range perLane {
		for l := range lanes {
			f.enqueue(t, &tickets.OutboxMessage{Key: fmt.Sprintf("l%d-m%d", l, i), To: tickets.Place{ChannelID: fmt.Sprint("lane", l)}, Text: "x"})
		}
	}
	if n := f.deliver(t); n != lanes*perLane {
		t.Fatalf("sent %d, want %d", n, lanes*perLane)
	}
	if s.stuck {
		t.Errorf("the %d lanes' first messages were never in flight together", lanes)
	}
	for l := range lanes {
		want := fmt.Sprintf("[l%d-m0 l%d-m1 l%d-m2]", l, l, l)
		if got := fmt.Sprint(s.order[fmt.Sprint("lane", l)]); got != want {
			t.Errorf("lane %d sent %s, want %s", l, got, want)
		}
	}
}

// TestDispatcherMergesBurst: hundreds of notifications about one card (a
// major incident's reporters, each editing the card and posting in its
// thread) go out as one post of their lines and the card's last edit; a
// message of another kind behind them is not swept in, and every merged
// message is recorded as sent.
func TestDispatcherMergesBurst(t *testing.T) {
	f := newDispatchFixture(t)
	triage := tickets.Place{ChannelID: "triage"}
	f.enqueue(t, &tickets.OutboxMessage{Key: "card", To: triage, Text: "Major incident #1: 0 affected"})
	f.deliver(t)
	const reports = 40
	for i := 1; i <= reports; i++ {
		f.enqueue(t, &tickets.OutboxMessage{Key: fmt.Sprintf("edit-%d", i), To: triage, Edit: "card", Text: fmt.Sprintf("Major incident #1: %d affected", i)})
		f.enqueue(t, &tickets.OutboxMessage{Key: fmt.Sprintf("news-%d", i), To: triage, Thread: "card", Text: fmt.Sprintf("R%d reported the same problem.", i)})
	}
	// Other news about the card is not the same notification: it stops
	// the burst.
	f.enqueue(t, &tickets.OutboxMessage{Key: "claim-1", To: triage, Thread: "card", Text: "Dana claimed #1."})
	f.deliver(t)
	got := f.sender.Sent()
	if len(got) != 4 {
		t.Fatalf("%d deliveries (%v); want the card, one merged post, one edit, the claim", len(got), f.sender.Keys())
	}
	post, edit := got[1], got[2]
	if post.ThreadRef != "ref:card" || !strings.HasPrefix(post.Msg.Text, "R1 reported") || !strings.Contains(post.Msg.Text, fmt.Sprintf("\nR%d reported the same problem.", reports)) ||
		strings.Count(post.Msg.Text, "\n") != reports-1 {
		t.Errorf("merged post = %+v; want the %d lines in the card's thread", post, reports)
	}
	if edit.EditRef != "ref:card" || edit.Msg.Text != fmt.Sprintf("Major incident #1: %d affected", reports) {
		t.Errorf("edit = %+v; want the last edit of the card", edit)
	}
	if got[3].Msg.Key != "claim-1" || got[3].Msg.Text != "Dana claimed #1." {
		t.Errorf("last delivery %+v; want the claim on its own, after the burst", got[3].Msg)
	}
	left, err := f.store.DueOutbox(context.Background(), f.now.Add(time.Hour), 10)
	if err != nil || len(left) != 0 {
		t.Errorf("left in the outbox: %v (err %v)", left, err)
	}
	// The store supersedes a waiting edit when a later edit of the same
	// message is queued (storetest's Outbox/EditsSupersede), so only the
	// thread posts reach the dispatcher to be merged.
	if n := f.d.Stats.Merged.Load(); n != reports-1 {
		t.Errorf("merged %d; want %d (all posts but the one sent)", n, reports-1)
	}
	if e, err := f.store.OutboxMessage(context.Background(), "edit-1"); err != nil || e.SentAt.IsZero() {
		t.Errorf("an earlier edit = %+v (err %v); want it settled, superseded by the last", e, err)
	}
	m, err := f.store.OutboxMessage(context.Background(), fmt.Sprintf("news-%d", reports))
	if err != nil || m.SentAt.IsZero() || m.Ref != "ref:news-1" {
		t.Errorf("a merged post = %+v (err %v); want sent with the merged post's reference", m, err)
	}
}

// TestDispatcherMergeFailure: when the merged post fails, the messages
// merged into it are released and go out on the next attempt.
func TestDispatcherMergeFailure(t *testing.T) {
	f := newDispatchFixture(t)
	triage := tickets.Place{ChannelID: "triage"}
	f.enqueue(t, &tickets.OutboxMessage{Key: "card", To: triage, Text: "card"})
	f.deliver(t)
	down := true
	f.sender.Fail = func(d chat.Delivery) error {
		if down && d.ThreadRef != "" {
			return errors.New("503")
		}
		return nil
	}
	for i := 1; i <= 3; i++ {
		f.enqueue(t, &tickets.OutboxMessage{Key: fmt.Sprintf("news-%d", i), To: triage, Thread: "card", Text: fmt.Sprintf("line %d", i)})
	}
	f.deliver(t)
	down = false
	f.now = f.now.Add(time.Hour)
	f.deliver(t)
	keys := f.sender.Keys()
	if len(keys) != 2 || keys[1] != "news-1" || f.sender.Sent()[1].Msg.Text != "line 1\nline 2\nline 3" {
		t.Errorf("sent %v (%+v); want the card, then the three lines merged once the platform is back", keys, f.sender.Sent())
	}
}
