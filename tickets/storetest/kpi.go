package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// testKPI writes a small desk's history through the store and reads its
// KPIs back with kpi.Load: the figures must be the ones the history
// gives, whatever the store (times converted to UTC, event order kept,
// old and still-open tickets found).
func testKPI(t *testing.T, s tickets.Store) {
	ctx := context.Background()
	h := time.Hour
	type step struct {
		after  time.Duration
		kind   tickets.EventKind
		actor  string
		before string
		value  string
	}
	write := func(created time.Duration, p tickets.Priority, steps ...step) *tickets.Ticket {
		t.Helper()
		tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: p, Category: "network", Tier: 1,
			Summary: "vpn", Requester: person("UREQ"), CreatedAt: at(created), UpdatedAt: at(created)}
		ok(t, s.CreateTicket(ctx, tk), "CreateTicket")
		ok(t, s.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: tk.CreatedAt, Actor: "slack:UREQ", Kind: tickets.EventCreated}), "AddEvent")
		for _, st := range steps {
			e := &tickets.Event{TicketID: tk.ID, At: at(created + st.after), Actor: st.actor, Kind: st.kind, Before: st.before, After: st.value}
			ok(t, s.AddEvent(ctx, e), "AddEvent")
			switch st.kind {
			case tickets.EventStatus:
				tk.Status = tickets.Status(st.value)
			case tickets.EventAssigned:
				tk.Assignee = st.value
			case tickets.EventRated:
				tk.CSAT = 5
			}
			tk.UpdatedAt = e.At
		}
		ok(t, s.UpdateTicket(ctx, tk), "UpdateTicket")
		return tk
	}
	const dana = "slack:UDANA"
	claim := func(after time.Duration) []step {
		return []step{{after, tickets.EventAssigned, dana, "", dana}, {after, tickets.EventStatus, dana, "new", "open"}}
	}
	// Long ago, resolved long ago: outside every period asked for.
	write(-100*h, tickets.P3, append(claim(h), step{2 * h, tickets.EventStatus, dana, "open", "resolved"})...)
	// Opened long ago and never touched since: in the backlog.
	write(-50*h, tickets.P4)
	// In the period: claimed, pending 1h, resolved 3h after opening, rated.
	write(h, tickets.P3, append(claim(10*time.Minute),
		step{20 * time.Minute, tickets.EventStatus, dana, "open", "pending"},
		step{80 * time.Minute, tickets.EventStatus, "slack:UREQ", "pending", "open"},
		step{3 * h, tickets.EventStatus, dana, "open", "resolved"},
		step{4 * h, tickets.EventRated, "slack:UREQ", "", "5"})...)
	// In the period: answered and resolved at first contact.
	write(2*h, tickets.P2, append(claim(5*time.Minute),
		step{30 * time.Minute, tickets.EventReply, dana, "", ""},
		step{h, tickets.EventStatus, dana, "open", "resolved"})...)
	ok(t, s.RecordSelfService(ctx, &tickets.SelfService{Requester: person("USELF"), Category: "network", ArticleID: "vpn", Summary: "vpn", At: at(90 * time.Minute)}), "RecordSelfService")

	evs, err := s.TicketEventsSince(ctx, at(0))
	ok(t, err, "TicketEventsSince")
	perTicket := map[int64]int{}
	for i, e := range evs {
		perTicket[e.TicketID]++
		if i > 0 && (e.TicketID < evs[i-1].TicketID || e.TicketID == evs[i-1].TicketID && e.At.Before(evs[i-1].At)) {
			t.Errorf("TicketEventsSince: event %d (#%d at %v) out of order after #%d at %v", i, e.TicketID, e.At, evs[i-1].TicketID, evs[i-1].At)
		}
	}
	// #1 was resolved long ago: none of its events; #2 is still open (its
	// created event), #3 and #4 changed in the period.
	diff(t, "events per ticket", map[int64]int{2: 1, 3: 7, 4: 5}, perTicket)

	hist, err := kpi.Load(ctx, s, at(0))
	ok(t, err, "kpi.Load")
	if len(hist.Tickets) != 3 {
		t.Errorf("kpi.Load read %d tickets, want 3 (two of the period and the old open one)", len(hist.Tickets))
	}
	r := kpi.Compute(hist, at(0), at(24*h), kpi.None, kpi.Options{SLA: tickets.DefaultSLA()})
	f := r.Total
	diff(t, "counts", []int{2, 2, 1, 1}, []int{f.Opened, f.Resolved, f.SelfServed, f.Backlog})
	diff(t, "ratios", []kpi.Ratio{{N: 2, D: 3}, {N: 1, D: 2}, {N: 1, D: 3}, {N: 2, D: 2}, {N: 2, D: 2}, {N: 1, D: 2}},
		[]kpi.Ratio{f.FCR, f.FCRTickets, f.Deflection, f.SLAResponse, f.SLAResolution, f.CSATResponse})
	// Resolved in 3h and 1h; first heard from at 20m (the pending
	// question) and 30m (the reply).
	diff(t, "durations", []time.Duration{2 * h, 3 * h, 2 * h, 25 * time.Minute, 30 * time.Minute},
		[]time.Duration{f.Resolution.Mean, f.Resolution.Max, f.Resolution.Median, f.FirstResponse.Mean, f.FirstResponse.Max})
	// Handling: 10m + 100m on the first, 55m on the second.
	diff(t, "handling", 165*time.Minute/2, f.Handling.Mean)
	diff(t, "age", 74*h, f.Age.Max.Round(time.Second)) // the store keeps microseconds
	if v, _ := f.CSAT.Value(); v != 5 {
		t.Errorf("CSAT = %v, want 5", v)
	}
}
