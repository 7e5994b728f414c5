package kpi

import (
	"context"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Source is what Load reads: a tickets.Store has all of it.
type Source interface {
	FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error)
	TicketEventsSince(ctx context.Context, since time.Time) ([]*tickets.Event, error)
	SelfServices(ctx context.Context, since time.Time) ([]*tickets.SelfService, error)
}

// maxTickets bounds one load; a desk that changes more tickets in a
// period than this gets an error saying to ask for a shorter one.
const maxTickets = 200000

// Load reads the history the KPIs of periods from since on need: every
// ticket changed since since (its last change is at or after anything
// that happened to it in a period), every ticket still active (the
// backlog at any moment since), their events, and the self-service
// since since.
func Load(ctx context.Context, src Source, since time.Time) (*History, error) {
	changed, err := src.FindTickets(ctx, tickets.TicketFilter{UpdatedAfter: since, Limit: maxTickets + 1})
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	active, err := src.FindTickets(ctx, tickets.TicketFilter{Statuses: []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated}, Limit: maxTickets + 1})
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	if len(changed) > maxTickets || len(active) > maxTickets {
		return nil, fmt.Errorf("kpi: more than %d tickets since %s; ask for a shorter period", maxTickets, since.Format(time.DateOnly))
	}
	evs, err := src.TicketEventsSince(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	byTicket := map[int64][]*tickets.Event{}
	for _, e := range evs {
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	h := &History{}
	seen := map[int64]bool{}
	for _, t := range append(changed, active...) {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		h.Tickets = append(h.Tickets, Record{Ticket: t, Events: byTicket[t.ID]})
	}
	if h.SelfServices, err = src.SelfServices(ctx, since); err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	return h, nil
}
