package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// replicas builds n cores, each on a store of its own over one database,
// as n replicas of the bot are.
func replicas(t *testing.T, n int, open func() (tickets.Store, error)) []*Bot {
	t.Helper()
	arts, err := kb.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	idx := kb.NewIndex(arts)
	var bots []*Bot
	for range n {
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		b, err := New(s, idx, testConfig(), Options{Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		bots = append(bots, b)
	}
	return bots
}

// Two presses of an offer's button at the same instant, on two replicas,
// are acted on once: the other press answers nothing (issue 15: 83 to 100
// of 100 trials answered the next question too, so tickets opened at P2
// without the requester answering, or a "yes" started a new report).
func TestKBOfferPressedOnTwoReplicas(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) func() (tickets.Store, error)
	}{
		{"sqlite", func(t *testing.T) func() (tickets.Store, error) {
			path := filepath.Join(t.TempDir(), "hd.db")
			return func() (tickets.Store, error) { return sqlite.Open(context.Background(), path) }
		}},
		{"postgres", func(t *testing.T) func() (tickets.Store, error) {
			url := pgtest.Database(t)
			return func() (tickets.Store, error) { return postgres.Open(context.Background(), url) }
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			bots := replicas(t, 2, db.open(t))
			ctx := context.Background()
			const trials = 60
			for i := range trials {
				user := fmt.Sprintf("u%d", i)
				offer := say(bots[0], user, `my laptop can't connect to the VPN since this morning, it says "The VPN server did not respond"`)
				if !strings.Contains(offer, "fix it? Reply") {
					t.Fatalf("trial %d: no offer: %s", i, offer)
				}
				name := chat.ActionKBNotFixed
				if i%2 == 1 {
					name = chat.ActionKBFixed
				}
				a := chat.Action{Name: name, Value: "1", Platform: "test", ChannelID: "dm-" + user, User: person(user)}
				var wg sync.WaitGroup
				out := make([]string, 2)
				for r, b := range bots {
					wg.Go(func() {
						var texts []string
						for _, rep := range b.HandleAction(ctx, a) {
							texts = append(texts, rep.Text)
						}
						out[r] = strings.Join(texts, "\n")
					})
				}
				wg.Wait()
				acted := 0
				for _, o := range out {
					if !strings.Contains(o, "already answered that suggestion") {
						acted++
					}
				}
				if acted != 1 {
					t.Fatalf("trial %d (%s): %d presses acted on, want 1:\n%s\n---\n%s", i, name, acted, out[0], out[1])
				}
				if name == chat.ActionKBFixed {
					continue
				}
				// The report waits on its first question, still unanswered.
				s, err := loadIntake(ctx, bots[1].store, conversationKey(tickets.Place{Platform: "test", ChannelID: "dm-" + user}, person(user)))
				if err != nil || s.Stage != stageAsk || s.Impact != "" {
					t.Fatalf("trial %d: after the presses the report is at %v, impact %q (%v); want it asking, unanswered", i, s.Stage, s.Impact, err)
				}
			}
		})
	}
}
