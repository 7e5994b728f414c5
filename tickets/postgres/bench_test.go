package postgres

import (
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
)

// The CreateTicket benchmark of the SQLite store, on PostgreSQL:
//
//	go test -run '^$' -bench . -benchtime 2000x ./tickets/postgres/
//
// Each transaction is BEGIN, the writer lock, three INSERTs and COMMIT:
// six round trips to the server, with the commit's WAL flush the largest
// cost on a local server.

// benchStore opens a store on a fresh database for b.
func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.Context(), pgtest.Database(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// newTicket is the ticket the bot stores when intake ends.
func newTicket(now time.Time) *tickets.Ticket {
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

// createTicket is what the bot does when intake ends: one ticket, its
// created event and the triage message, in one transaction.
func createTicket(b *testing.B, s *Store, now time.Time) error {
	ctx := b.Context()
	return s.InTx(ctx, func(tx tickets.Tx) error {
		tk := newTicket(now)
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

// BenchmarkCreateTicket creates tickets one after another.
func BenchmarkCreateTicket(b *testing.B) {
	s := benchStore(b)
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

// BenchmarkCreateTicketParallel creates tickets from several goroutines,
// as the bot's workers do; the writer lock makes them commit one at a time.
func BenchmarkCreateTicketParallel(b *testing.B) {
	s := benchStore(b)
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

// BenchmarkRawInsert is the baseline: one single-row INSERT and its COMMIT on
// a plain table in the same database, through the same pool.
func BenchmarkRawInsert(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	if _, err := s.pool.Exec(ctx, `CREATE TABLE raw (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		pgTx, err := s.pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pgTx.Exec(ctx, `INSERT INTO raw (v) VALUES ($1)`, "VPN drops every ten minutes"); err != nil {
			b.Fatal(err)
		}
		if err := pgTx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
