package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// RunBenchmarks runs the benchmarks every store runs, so that their
// numbers compare: the same work on each database. open opens a new, empty
// store for b.
func RunBenchmarks[S tickets.Store](b *testing.B, open func(b *testing.B) (S, error)) {
	for _, bb := range []struct {
		name string
		fn   func(*testing.B, tickets.Store)
	}{
		{"CreateTicket", benchCreateTicket},
		{"CreateTicketParallel", benchCreateTicketParallel},
		{"CreateTicketRow", benchCreateTicketRow},
		{"KPI30Days", benchKPI},
	} {
		b.Run(bb.name, func(b *testing.B) { bb.fn(b, Opened(b, open)) })
	}
}

// IntakeTicket is the ticket the bot stores when intake ends.
func IntakeTicket(now time.Time) *tickets.Ticket {
	return &tickets.Ticket{
		Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3,
		Impact: tickets.Medium, Urgency: tickets.Medium, Category: tickets.CategoryNetwork,
		Summary:   "VPN drops every ten minutes",
		Requester: tickets.Person{Platform: "slack", UserID: "U012AB3CD", Name: "Ada Lovelace", Contact: "ada@example.com"},
		Origin:    tickets.Place{Platform: "slack", ChannelID: "C0HELP", ThreadID: "1712345678.000100"},
		Fields: map[string]string{
			tickets.FieldDevice: "ThinkPad X1", tickets.FieldSymptom: "error 809",
			tickets.FieldStarted: "this morning", tickets.FieldSteps: "rebooted",
		},
		Tier: 1, CreatedAt: now, UpdatedAt: now,
		ResponseDue: now.Add(4 * time.Hour), ResolveDue: now.Add(72 * time.Hour),
	}
}

// createTicket is CreateTicket for b.
func createTicket(b *testing.B, s tickets.Store, now time.Time) error {
	return CreateTicket(b.Context(), s, now)
}

// CreateTicket is what the bot does when intake ends: one ticket, its
// created event and the triage message, in one transaction.
func CreateTicket(ctx context.Context, s tickets.Store, now time.Time) error {
	return s.InTx(ctx, func(tx tickets.Tx) error {
		tk := IntakeTicket(now)
		if err := tx.CreateTicket(ctx, tk); err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: now, Actor: "bot",
			Kind: tickets.EventCreated}); err != nil {
			return err
		}
		_, err := tx.Enqueue(ctx, &tickets.OutboxMessage{
			Key:      fmt.Sprintf("ticket:%d:created:triage", tk.ID),
			To:       tickets.Place{Platform: "slack", ChannelID: "C0TRIAGE"},
			TicketID: tk.ID,
			Text:     "New ticket #1 (P3, network): VPN drops every ten minutes",
			Buttons:  []tickets.Button{{Label: "Claim", Action: "claim", Value: "1"}},
			Created:  now,
		})
		return err
	})
}

// benchCreateTicket creates tickets as intake does, one after another.
func benchCreateTicket(b *testing.B, s tickets.Store) {
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		if err := createTicket(b, s, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "tickets/s")
}

// benchCreateTicketParallel creates tickets from several goroutines, as
// the bot's workers do; write transactions commit one at a time.
func benchCreateTicketParallel(b *testing.B, s tickets.Store) {
	now := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := createTicket(b, s, now); err != nil {
				b.Error(err) // Fatal may not be called from this goroutine
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

// benchCreateTicketRow is Store.CreateTicket alone in its own transaction:
// the ticket row and its indexes, to set against a store's raw single-row
// insert.
func benchCreateTicketRow(b *testing.B, s tickets.Store) {
	ctx := b.Context()
	now := time.Now()
	for b.Loop() {
		if err := s.CreateTicket(ctx, IntakeTicket(now)); err != nil {
			b.Fatal(err)
		}
	}
}

// benchKPI is what /stats, the report, the dashboard and each KPI scrape
// do: read 30 days of a desk's history (3,000 tickets, 5 events each)
// and compute its KPIs by category.
func benchKPI(b *testing.B, s tickets.Store) {
	ctx := b.Context()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	const n = 3000
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		for i := range n {
			at := now.Add(-time.Duration(i) * 30 * 24 * time.Hour / n)
			tk := IntakeTicket(at)
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
			for j, e := range []tickets.Event{
				{Kind: tickets.EventCreated, Actor: "slack:U012AB3CD"},
				{Kind: tickets.EventAssigned, Actor: "slack:UDANA", After: "slack:UDANA"},
				{Kind: tickets.EventStatus, Actor: "slack:UDANA", Before: "new", After: "open"},
				{Kind: tickets.EventReply, Actor: "slack:UDANA", Text: "try this"},
				{Kind: tickets.EventStatus, Actor: "slack:UDANA", Before: "open", After: "resolved"},
			} {
				e.TicketID, e.At = tk.ID, at.Add(time.Duration(j)*10*time.Minute)
				if err := tx.AddEvent(ctx, &e); err != nil {
					return err
				}
			}
			tk.Status, tk.Assignee, tk.UpdatedAt = tickets.StatusResolved, "slack:UDANA", at.Add(40*time.Minute)
			if err := tx.UpdateTicket(ctx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h, err := kpi.Load(ctx, s, now.Add(-30*24*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		if r := kpi.Compute(h, now.Add(-30*24*time.Hour), now, kpi.Category, kpi.Options{SLA: tickets.DefaultSLA()}); r.Total.Resolved < n-10 {
			b.Fatalf("resolved %d, want about %d", r.Total.Resolved, n)
		}
	}
}
