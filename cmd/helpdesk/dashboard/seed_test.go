package dashboard

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// seedNow is the seeded desk's present: Monday 30 November 2026, 15:00 UTC.
var seedNow = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

// seed writes two months of a small desk's work into a new SQLite file,
// as the bot would have: tickets of every category and priority claimed,
// answered, some pending, escalated or reopened, resolved and rated, a
// few still open and late; self-served reports; KB use. The random
// choices come from a fixed seed, so every run draws the same desk.
func seed(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rng := rand.New(rand.NewPCG(18, 2026))
	cats := []tickets.Category{tickets.CategoryAccount, tickets.CategoryNetwork, tickets.CategoryEmail, tickets.CategoryHardware, tickets.CategorySoftware, tickets.CategoryPrinting, tickets.CategoryAccess}
	agents := []string{"test:dana", "test:tom", "test:sam"}
	sla := tickets.DefaultSLA()
	for i := range 160 {
		created := seedNow.Add(-time.Duration(rng.IntN(60*24*60)) * time.Minute)
		p := tickets.Priority(1 + rng.IntN(4))
		if rng.IntN(3) > 0 {
			p = tickets.P3
		}
		tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: p, Category: cats[rng.IntN(len(cats))], Tier: 1,
			Summary: fmt.Sprintf("report %d", i+1), Requester: tickets.Person{Platform: "test", UserID: fmt.Sprintf("user%d", rng.IntN(40))}, CreatedAt: created, UpdatedAt: created}
		tk.ResponseDue, tk.ResolveDue = sla.Due(nil, p, created)
		if err := s.CreateTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
		at := created
		// Agents answer within minutes to hours; P1s faster.
		pace := 20 * int(p)
		ev := func(kind tickets.EventKind, actor, before, after string) {
			at = at.Add(time.Duration(1+rng.IntN(pace)) * time.Minute)
			if at.After(seedNow) {
				at = seedNow
			}
			if err := s.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: at, Actor: actor, Kind: kind, Before: before, After: after}); err != nil {
				t.Fatal(err)
			}
			tk.UpdatedAt = at
			switch kind {
			case tickets.EventStatus:
				tk.Status = tickets.Status(after)
			case tickets.EventAssigned:
				tk.Assignee = after
			case tickets.EventReply:
				if tk.FirstResponseAt.IsZero() {
					tk.FirstResponseAt = at
				}
			}
		}
		ev(tickets.EventCreated, tk.Requester.Key(), "", "")
		open := created.After(seedNow.Add(-10*24*time.Hour)) && rng.IntN(3) == 0
		if open && rng.IntN(2) == 0 {
			// Nobody has it yet.
		} else {
			who := agents[rng.IntN(len(agents))]
			ev(tickets.EventAssigned, who, "", who)
			ev(tickets.EventStatus, who, "new", "open")
			ev(tickets.EventReply, who, "", "")
			if rng.IntN(5) == 0 {
				ev(tickets.EventStatus, who, "open", "pending")
				ev(tickets.EventStatus, tk.Requester.Key(), "pending", "open")
			}
			if rng.IntN(6) == 0 {
				ev(tickets.EventEscalated, who, "1", "2")
				ev(tickets.EventAssigned, who, who, "test:max")
				ev(tickets.EventStatus, who, "open", "escalated")
				tk.Tier, who = 2, "test:max"
			}
			if !open {
				at = at.Add(time.Duration(rng.IntN(pace*6)) * time.Minute) // the work itself
				ev(tickets.EventStatus, who, string(tk.Status), "resolved")
				tk.ResolvedAt = at
				if rng.IntN(8) == 0 {
					ev(tickets.EventStatus, tk.Requester.Key(), "resolved", "open")
					ev(tickets.EventStatus, who, "open", "resolved")
					tk.ResolvedAt = at
				}
				if rng.IntN(3) == 0 {
					score := 2 + rng.IntN(4)
					ev(tickets.EventRated, tk.Requester.Key(), "", fmt.Sprint(score))
					tk.CSAT = score
				}
			}
		}
		if err := s.UpdateTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 70 {
		at := seedNow.Add(-time.Duration(rng.IntN(60*24*60)) * time.Minute)
		if err := s.RecordSelfService(ctx, &tickets.SelfService{Requester: tickets.Person{Platform: "test", UserID: fmt.Sprintf("self%d", i)},
			Category: cats[rng.IntN(len(cats))], Summary: "fixed by an article", ArticleID: "vpn-cannot-connect", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		id           string
		offered, fix int
	}{{"vpn-cannot-connect", 40, 22}, {"password-reset", 35, 25}, {"outlook-wont-open", 20, 4}, {"printer-offline", 12, 9}, {"teams-sign-out", 9, 1}} {
		if err := s.CountUse(ctx, u.id, kb.UseOffered, u.offered, seedNow.Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CountUse(ctx, u.id, kb.UseFixed, u.fix, seedNow.Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
