package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// writeAll makes one of every write in tx, as a bot action might, checks
// that tx reads its own writes, and returns the new ticket.
func writeAll(t *testing.T, ctx context.Context, tx tickets.Tx, tag string) (*tickets.Ticket, error) {
	tk := fullTicket("U-"+tag, base)
	if err := tx.CreateTicket(ctx, tk); err != nil {
		return nil, err
	}
	got, err := tx.Ticket(ctx, tk.ID)
	if err != nil {
		return nil, fmt.Errorf("tx does not read its own ticket: %w", err)
	}
	diff(t, "ticket in tx", storedTicket(tk), got)
	found, err := tx.FindTickets(ctx, tickets.TicketFilter{Requester: tk.Requester.Key()})
	if err != nil {
		return nil, err
	}
	diff(t, "found in tx", []int64{tk.ID}, ids(found))

	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: base, Actor: "bot", Kind: tickets.EventCreated}); err != nil {
		return nil, err
	}
	evs, err := tx.Events(ctx, tk.ID)
	if err != nil {
		return nil, err
	}
	if len(evs) != 1 {
		t.Errorf("tx reads %d events of its ticket, want 1", len(evs))
	}
	if _, err := tx.Enqueue(ctx, message("created:"+tag, tk.ID, base)); err != nil {
		return nil, err
	}
	if err := tx.SaveConversation(ctx, &tickets.Conversation{Key: "conv:" + tag, State: []byte("s"), UpdatedAt: base}); err != nil {
		return nil, err
	}
	if _, err := tx.Conversation(ctx, "conv:"+tag); err != nil {
		return nil, fmt.Errorf("tx does not read its own conversation: %w", err)
	}
	if _, err := tx.SeenEvent(ctx, "ev:"+tag, base); err != nil {
		return nil, err
	}
	if err := tx.RecordSelfService(ctx, &tickets.SelfService{Requester: person("U-" + tag), At: base}); err != nil {
		return nil, err
	}
	if err := tx.SetJobState(ctx, "job:"+tag, tag, base); err != nil {
		return nil, err
	}
	if _, err := tx.JobState(ctx, "job:"+tag); err != nil {
		return nil, fmt.Errorf("tx does not read its own job state: %w", err)
	}
	return tk, nil
}

// written is what a transaction of writeAll left in the store, as seen
// from outside it.
type written struct {
	Ticket       bool     // its ticket exists
	Events       int      // events of its ticket
	Outbox       []string // keys of the messages due
	KeyTaken     bool     // its outbox key is taken
	Conversation bool     // its conversation exists
	SeenEvent    bool     // its platform event was seen
	SelfServices int      // its self-service records
	JobState     bool     // its job state exists
}

// left returns what the transaction of writeAll(tag), whose ticket is id,
// left in s. It enqueues and sees what writeAll did, so call it once.
func left(t *testing.T, s tickets.Store, tag string, id int64) written {
	t.Helper()
	ctx := t.Context()
	var w written
	exists := func(err error, what string) bool {
		t.Helper()
		if tickets.ErrorCode(err) == tickets.ENOTFOUND {
			return false
		}
		ok(t, err, what)
		return true
	}
	_, err := s.Ticket(ctx, id)
	w.Ticket = exists(err, "Ticket")
	evs, err := s.Events(ctx, id)
	ok(t, err, "Events")
	w.Events = len(evs)
	w.Outbox = due(t, s, at(time.Hour))
	added, err := s.Enqueue(ctx, message("created:"+tag, 0, base))
	ok(t, err, "Enqueue")
	w.KeyTaken = !added
	_, err = s.Conversation(ctx, "conv:"+tag)
	w.Conversation = exists(err, "Conversation")
	first, err := s.SeenEvent(ctx, "ev:"+tag, base)
	ok(t, err, "SeenEvent")
	w.SeenEvent = !first
	ss, err := s.SelfServices(ctx, base)
	ok(t, err, "SelfServices")
	for _, r := range ss {
		if r.Requester.Key() == person("U-"+tag).Key() {
			w.SelfServices++
		}
	}
	_, err = s.JobState(ctx, "job:"+tag)
	w.JobState = exists(err, "JobState")
	return w
}

func testInTxCommit(t *testing.T, s tickets.Store) {
	ctx := withTimeout(t)
	var tk *tickets.Ticket
	err := s.InTx(ctx, func(tx tickets.Tx) (err error) {
		tk, err = writeAll(t, ctx, tx, "commit")
		return err
	})
	ok(t, err, "InTx")

	got, err := s.Ticket(ctx, tk.ID)
	ok(t, err, "Ticket after commit")
	diff(t, "committed ticket", storedTicket(tk), got)
	diff(t, "what a committed transaction left", written{Ticket: true, Events: 1, Outbox: []string{"created:commit"},
		KeyTaken: true, Conversation: true, SeenEvent: true, SelfServices: 1, JobState: true}, left(t, s, "commit", tk.ID))
}

func testInTxRollback(t *testing.T, s tickets.Store) {
	ctx := withTimeout(t)
	keep := &tickets.Conversation{Key: "conv:keep", State: []byte("before"), UpdatedAt: base}
	ok(t, s.SaveConversation(ctx, keep), "SaveConversation")
	gone := &tickets.Conversation{Key: "conv:gone", State: []byte("before"), UpdatedAt: base}
	ok(t, s.SaveConversation(ctx, gone), "SaveConversation")
	kept := create(t, s, fullTicket("U-kept", base))

	errBoom := errors.New("boom")
	var tk *tickets.Ticket
	err := s.InTx(ctx, func(tx tickets.Tx) (err error) {
		if tk, err = writeAll(t, ctx, tx, "rollback"); err != nil {
			return err
		}
		changed := *kept
		changed.Summary = "changed in a rolled back transaction"
		if err := tx.UpdateTicket(ctx, &changed); err != nil {
			return err
		}
		if err := tx.SaveConversation(ctx, &tickets.Conversation{Key: keep.Key, State: []byte("after")}); err != nil {
			return err
		}
		if err := tx.DeleteConversation(ctx, gone.Key); err != nil {
			return err
		}
		return fmt.Errorf("giving up: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}

	diff(t, "what a rolled back transaction left", written{}, left(t, s, "rollback", tk.ID))
	got, err := s.Ticket(ctx, kept.ID)
	ok(t, err, "Ticket")
	diff(t, "ticket updated in a rolled back transaction", storedTicket(kept), got)
	c, err := s.Conversation(ctx, keep.Key)
	ok(t, err, "Conversation")
	if string(c.State) != "before" {
		t.Errorf("conversation saved in a rolled back transaction has state %q", c.State)
	}
	_, err = s.Conversation(ctx, gone.Key)
	ok(t, err, "Conversation deleted in a rolled back transaction")
}

func testInTxPanic(t *testing.T, s tickets.Store) {
	ctx := withTimeout(t)
	var id int64
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want the panic of fn", r)
			}
		}()
		_ = s.InTx(ctx, func(tx tickets.Tx) error {
			tk := fullTicket("U1", base)
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
			id = tk.ID
			panic("boom")
		})
	}()
	_, err := s.Ticket(ctx, id)
	wantCode(t, err, tickets.ENOTFOUND, "Ticket created before a panic")
	// The store is still usable: the transaction let go of its connection.
	create(t, s, fullTicket("U2", base))
}

func testInTxCanceled(t *testing.T, s tickets.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	called := false
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		called = true
		return tx.CreateTicket(ctx, fullTicket("U1", base))
	})
	if err == nil {
		t.Fatal("InTx with a canceled context succeeded")
	}
	if called {
		t.Log("fn ran although the context was canceled; its writes must still be rolled back")
	}
	all, err := s.FindTickets(t.Context(), tickets.TicketFilter{})
	ok(t, err, "FindTickets")
	if len(all) != 0 {
		t.Errorf("InTx with a canceled context wrote tickets %v", ids(all))
	}
}

func testInTxConcurrent(t *testing.T, s tickets.Store) {
	const workers, perWorker = 16, 8
	ctx := withTimeout(t)
	var (
		mu   sync.Mutex
		errs []error
		seen = map[int64]bool{}
		wg   sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			requester := fmt.Sprint("W", w)
			for i := range perWorker {
				err := s.InTx(ctx, func(tx tickets.Tx) error {
					// Read before writing, as the bot loads a conversation
					// first: a store whose transactions take the write lock
					// only at the first write fails here with SQLITE_BUSY.
					if _, err := tx.FindTickets(ctx, tickets.TicketFilter{Requester: person(requester).Key()}); err != nil {
						return err
					}
					tk := fullTicket(requester, at(time.Duration(i)*time.Second))
					if err := tx.CreateTicket(ctx, tk); err != nil {
						return err
					}
					if _, err := tx.Ticket(ctx, tk.ID); err != nil {
						return err
					}
					if err := tx.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: tk.CreatedAt,
						Actor: "bot", Kind: tickets.EventCreated}); err != nil {
						return err
					}
					m := message(fmt.Sprintf("ticket:%d:created", tk.ID), tk.ID, base)
					m.To.ChannelID = fmt.Sprint("C", tk.ID) // a lane each, so all are due at once
					if _, err := tx.Enqueue(ctx, m); err != nil {
						return err
					}
					mu.Lock()
					defer mu.Unlock()
					if seen[tk.ID] {
						return fmt.Errorf("ticket ID %d given twice", tk.ID)
					}
					seen[tk.ID] = true
					return nil
				})
				// Readers run alongside the writers.
				if err == nil {
					_, err = s.FindTickets(ctx, tickets.TicketFilter{Requester: person(requester).Key()})
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("worker %d, transaction %d: %w", w, i, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for w := range workers {
		got, err := s.FindTickets(ctx, tickets.TicketFilter{Requester: person(fmt.Sprint("W", w)).Key()})
		ok(t, err, "FindTickets")
		if len(got) != perWorker {
			t.Errorf("worker %d has %d tickets, want %d", w, len(got), perWorker)
		}
	}
	if n := len(due(t, s, at(time.Hour))); n != workers*perWorker {
		t.Errorf("%d outbox messages, want %d", n, workers*perWorker)
	}
}
