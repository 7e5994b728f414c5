package postgres

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/internal/sqlstore"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
)

// BenchmarkReplicas is the write throughput of 1 to 3 replicas (stores on
// one database) with 12 writers between them, each writing the ticket
// transaction intake ends with, under the database-wide writer lock and,
// for comparison, each writer under a lock of its own (no serialisation:
// what the lock costs). It reports tickets/s and the p50 and p99 of one
// transaction, queueing included:
//
//	go test -run '^$' -bench Replicas -benchtime 4000x -count 2 ./tickets/postgres/
func BenchmarkReplicas(b *testing.B) {
	const writers = 12
	for _, locked := range []bool{true, false} {
		for _, n := range []int{1, 2, 3} {
			name := fmt.Sprintf("replicas=%d/lock=%v", n, locked)
			b.Run(name, func(b *testing.B) {
				url := pgtest.Database(b)
				stores := make([]*Store, n)
				for i := range stores {
					s, err := Open(b.Context(), url)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { s.Close() })
					stores[i] = s
				}
				var next atomic.Int64
				total := int64(b.N)
				lat := make([][]time.Duration, writers)
				now := time.Now()
				b.ResetTimer()
				var wg sync.WaitGroup
				for w := range writers {
					s := stores[w%n]
					wg.Go(func() {
						for next.Add(1) <= total {
							start := time.Now()
							var err error
							if locked {
								err = s.InTx(b.Context(), func(tx tickets.Tx) error { return writeTicket(b.Context(), tx, now) })
							} else {
								err = runTx(b.Context(), s.pool, int64(w), func(pgTx pgx.Tx) error {
									return writeTicket(b.Context(), sqlstore.NewTx(s.d, querier{pgTx}), now)
								})
							}
							if err != nil {
								b.Error(err)
								return
							}
							lat[w] = append(lat[w], time.Since(start))
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				all := slices.Concat(lat...)
				slices.Sort(all)
				if len(all) == 0 {
					return
				}
				b.ReportMetric(float64(len(all))/b.Elapsed().Seconds(), "tickets/s")
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// writeTicket is intake's last transaction: the ticket, its created event
// and its triage card.
func writeTicket(ctx context.Context, tx tickets.Tx, now time.Time) error {
	tk := &tickets.Ticket{
		Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3,
		Category: tickets.CategoryNetwork, Summary: "VPN drops every ten minutes",
		Requester: tickets.Person{Platform: "slack", UserID: "U012AB3CD", Name: "Ada"},
		Tier:      1, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.CreateTicket(ctx, tk); err != nil {
		return err
	}
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: now, Actor: "bot", Kind: tickets.EventCreated}); err != nil {
		return err
	}
	_, err := tx.Enqueue(ctx, &tickets.OutboxMessage{Key: fmt.Sprintf("ticket:%d:created:triage", tk.ID),
		To: tickets.Place{Platform: "slack", ChannelID: "C0TRIAGE"}, TicketID: tk.ID, Text: "New ticket", Created: now})
	return err
}
