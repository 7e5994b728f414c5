package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// TestGroupCommit: transactions that wait together are committed
// together, yet each one's failure or panic undoes its own work only, and
// a caller gone before its turn runs nothing.
func TestGroupCommit(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "hd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	person := tickets.Person{Platform: "test", UserID: "U1", Name: "Amy"}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	create := func(tx tickets.Tx, summary string) error {
		return tx.CreateTicket(ctx, &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Summary: summary,
			Requester: person, Priority: tickets.P3, Tier: 1, CreatedAt: now, UpdatedAt: now})
	}
	failed := errors.New("this one fails")
	var wg sync.WaitGroup
	errs := make([]error, 60)
	panics := make([]any, 60)
	for i := range 60 {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = s.InTx(ctx, func(tx tickets.Tx) error {
				if err := create(tx, "kept"); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return failed
				case 2:
					panic("handler bug")
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i := range 60 {
		switch i % 3 {
		case 0:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("transaction %d: %v, %v; want committed", i, errs[i], panics[i])
			}
		case 1:
			if !errors.Is(errs[i], failed) {
				t.Errorf("transaction %d: %v, want its own error", i, errs[i])
			}
		case 2:
			if panics[i] != "handler bug" {
				t.Errorf("transaction %d: panic %v raised in its caller, want \"handler bug\"", i, panics[i])
			}
		}
	}
	n, err := s.CountTickets(ctx, tickets.TicketFilter{})
	if err != nil || n != 20 {
		t.Errorf("%d tickets stored (%v), want the 20 whose transactions succeeded", n, err)
	}

	gone, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	err = s.InTx(gone, func(tx tickets.Tx) error { ran = true; return nil })
	if err == nil || ran {
		t.Errorf("a caller gone before its turn: err %v, ran %v", err, ran)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.InTx(ctx, func(tickets.Tx) error { return nil }); err == nil {
		t.Error("InTx after Close succeeded")
	}
}
