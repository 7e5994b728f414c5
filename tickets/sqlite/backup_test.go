package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A backup taken while tickets are being written is a consistent copy of
// one moment: every ticket in it whole (with the event and outbox message
// written in its transaction), none half there, and it opens as a store.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "helpdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopWriters := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopWriters()
	for w := range 2 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				err := s.InTx(ctx, func(tx tickets.Tx) error {
					return writeTicket(ctx, tx, fmt.Sprintf("report %d-%d", w, i))
				})
				if err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		})
	}
	for written.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := written.Load()
	dest := filepath.Join(dir, "backups", "helpdesk-backup.db")
	if err := Backup(ctx, filepath.Join(dir, "helpdesk.db"), dest); err != nil {
		t.Fatal(err)
	}
	after := written.Load()
	stopWriters()
	if after <= before {
		t.Logf("no ticket was written during the backup (%d)", after)
	}

	b, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var nTickets, nEvents, nOutbox int64
	for _, q := range []struct {
		query string
		n     *int64
	}{{`SELECT COUNT(*) FROM tickets`, &nTickets}, {`SELECT COUNT(*) FROM events`, &nEvents}, {`SELECT COUNT(*) FROM outbox`, &nOutbox}} {
		if err := b.read.QueryRowContext(ctx, q.query).Scan(q.n); err != nil {
			t.Fatal(err)
		}
	}
	if nTickets < before || nTickets > after+2 {
		t.Errorf("backup holds %d tickets; %d were written before it started and %d when it ended", nTickets, before, after)
	}
	if nEvents != nTickets || nOutbox != nTickets {
		t.Errorf("backup holds %d tickets, %d events, %d outbox messages: a transaction was copied in part", nTickets, nEvents, nOutbox)
	}
	if _, err := b.Ticket(ctx, nTickets); err != nil {
		t.Errorf("last ticket in the backup: %v", err)
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "helpdesk.db")
	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	dest := filepath.Join(dir, "copy.db")
	if err := Backup(ctx, db, dest); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		src, dest, want string
	}{
		{db, dest, "never overwrites"},
		{db, db, "overwrite the database itself"},
		{filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db"), "no such file"},
	} {
		if err := Backup(ctx, c.src, c.dest); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Backup(%s, %s) = %v, want %q", c.src, c.dest, err, c.want)
		}
	}
}

// BenchmarkBackup copies a database of 20,000 tickets, each with its
// event and outbox message (about the size of a year at a busy desk).
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db := filepath.Join(dir, "helpdesk.db")
	s, err := Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 20000
	for i := range n / 500 {
		err := s.InTx(ctx, func(tx tickets.Tx) error {
			for j := range 500 {
				if err := writeTicket(ctx, tx, fmt.Sprintf("laptop %d cannot reach the VPN since this morning", i*500+j)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if err := Backup(ctx, db, filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(filepath.Join(dir, "backup-0.db")); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "MB")
	}
}

// writeTicket writes a ticket as the desk does when it opens one: the
// ticket, its audit event and its triage message, in tx.
func writeTicket(ctx context.Context, tx tickets.Tx, summary string) error {
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3, Summary: summary,
		Requester: tickets.Person{Platform: "slack", UserID: "U1"}, Fields: map[string]string{"device": "laptop"}, CreatedAt: time.Now()}
	if err := tx.CreateTicket(ctx, tk); err != nil {
		return err
	}
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: time.Now(), Actor: "slack:U1", Kind: tickets.EventCreated}); err != nil {
		return err
	}
	_, err := tx.Enqueue(ctx, &tickets.OutboxMessage{Key: fmt.Sprintf("triage:%d", tk.ID), To: tickets.Place{Platform: "slack", ChannelID: "C1"},
		TicketID: tk.ID, Text: summary, Created: time.Now()})
	return err
}
