package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The desk keeps people informed by itself through timers: whenever a
// ticket changes, its timers are recomputed from its state (save and
// create below), and RunTimers acts on those that came due. A timer is
// taken in the same transaction as the messages it queues, whose keys name
// the ticket, the timer and its due time, so a timer fires once however
// often the sweep runs, on however many replicas, and one due during
// downtime fires late rather than never.

// create stores a new ticket and sets its timers.
func (b *Bot) create(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	if err := tx.CreateTicket(ctx, t); err != nil {
		return err
	}
	return b.schedule(ctx, tx, t)
}

// save stores a changed ticket and recomputes its timers.
func (b *Bot) save(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	if err := tx.UpdateTicket(ctx, t); err != nil {
		return err
	}
	return b.schedule(ctx, tx, t)
}

// schedule replaces t's timers with those its state calls for.
func (b *Bot) schedule(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	evs, err := tx.Events(ctx, t.ID)
	if err != nil {
		return err
	}
	return tx.SetTimers(ctx, t.ID, b.timersFor(t, lastSeen(t, evs), firedTimers(evs)))
}

// firedTimers are the timers that already acted on a ticket, as
// "kind@unix-due" from the notified and alerted events they recorded, so a
// ticket rescheduled after they fired does not get them again.
func firedTimers(evs []*tickets.Event) map[string]bool {
	fired := map[string]bool{}
	for _, e := range evs {
		if (e.Kind == tickets.EventNotified || e.Kind == tickets.EventAlerted) && e.After != "" {
			fired[e.Field+"@"+e.After] = true
		}
	}
	return fired
}

// lastSeen is when the requester last heard from the desk: the ticket's
// opening, or the latest change they can see that someone else made.
func lastSeen(t *tickets.Ticket, evs []*tickets.Event) time.Time {
	seen := t.CreatedAt
	for _, e := range evs {
		if e.Public() && e.Actor != t.Requester.Key() && e.At.After(seen) {
			seen = e.At
		}
	}
	return seen
}

// timersFor is what a ticket in t's state waits for, leaving out timers
// that already fired.
func (b *Bot) timersFor(t *tickets.Ticket, seen time.Time, fired map[string]bool) []tickets.Timer {
	cfg := b.conf()
	f, cal := cfg.Followups, cfg.Calendar
	var ts []tickets.Timer
	add := func(kind tickets.TimerKind, due time.Time) {
		if !due.IsZero() && !fired[fmt.Sprintf("%s@%d", kind, due.Unix())] {
			ts = append(ts, tickets.Timer{TicketID: t.ID, Kind: kind, Due: due})
		}
	}
	if t.LinkedTo != 0 {
		// Worked, and followed up, through the ticket it is linked to;
		// once resolved with it, it still closes in time.
		if t.Status == tickets.StatusResolved && f.CloseAfter > 0 {
			add(tickets.TimerAutoClose, t.ResolvedAt.Add(f.CloseAfter))
		}
		return ts
	}
	target := cfg.SLA[t.Priority]
	switch {
	case t.Status == tickets.StatusPending:
		if f.PendingRemind > 0 {
			add(tickets.TimerPendingRemind, t.PausedAt.Add(f.PendingRemind))
		}
		if f.PendingClose > 0 {
			add(tickets.TimerPendingClose, t.PausedAt.Add(f.PendingClose))
		}
	case t.Status.Active():
		if t.FirstResponseAt.IsZero() && !t.ResponseDue.IsZero() {
			if f.SLAWarnShare > 0 && f.SLAWarnShare < 1 {
				add(tickets.TimerResponseWarn, cal.Before(t.ResponseDue, time.Duration((1-f.SLAWarnShare)*float64(target.Response))))
			}
			add(tickets.TimerResponseBreach, t.ResponseDue)
		}
		if !t.ResolveDue.IsZero() {
			if f.SLAWarnShare > 0 && f.SLAWarnShare < 1 {
				add(tickets.TimerResolveWarn, cal.Before(t.ResolveDue, time.Duration((1-f.SLAWarnShare)*float64(target.Resolution))))
			}
			add(tickets.TimerResolveBreach, t.ResolveDue)
		}
		if every := f.StatusEvery[t.Priority]; every > 0 {
			add(tickets.TimerStatusUpdate, seen.Add(every))
		}
	case t.Status == tickets.StatusResolved:
		if f.FollowUpAfter > 0 && t.CSAT == 0 {
			add(tickets.TimerFollowUp, t.ResolvedAt.Add(f.FollowUpAfter))
		}
		if f.CloseAfter > 0 {
			add(tickets.TimerAutoClose, t.ResolvedAt.Add(f.CloseAfter))
		}
	}
	return ts
}

// pause and resume keep the SLA clock stopped while a ticket waits on its
// requester: the working time spent pending moves the deadlines out.
func (b *Bot) pause(t *tickets.Ticket, now time.Time) { t.PausedAt = now }

func (b *Bot) resume(t *tickets.Ticket, now time.Time) {
	if t.PausedAt.IsZero() {
		return
	}
	cal := b.conf().Calendar
	paused := cal.Between(t.PausedAt, now)
	if t.FirstResponseAt.IsZero() && !t.ResponseDue.IsZero() {
		t.ResponseDue = cal.Add(t.ResponseDue, paused)
	}
	if !t.ResolveDue.IsZero() {
		t.ResolveDue = cal.Add(t.ResolveDue, paused)
	}
	t.PausedAt = time.Time{}
}

// RunTimers acts on every timer due by now and returns how many fired. A
// failure on one timer is logged and leaves it for the next run.
func (b *Bot) RunTimers(ctx context.Context) (int, error) {
	fired := 0
	for {
		due, err := b.store.DueTimers(ctx, b.now(), 200)
		if err != nil {
			return fired, fmt.Errorf("due timers: %w", err)
		}
		progress := false
		for _, tm := range due {
			ok, err := b.fire(ctx, tm)
			if err != nil {
				if ctx.Err() != nil {
					return fired, ctx.Err()
				}
				b.log.ErrorContext(ctx, "timer", "ticket", tm.TicketID, "kind", string(tm.Kind), "err", err)
				continue
			}
			if ok {
				fired++
				b.stats.TimersFired.Add(1)
				progress = true
			}
		}
		if len(due) < 200 || !progress {
			b.notify()
			return fired, nil
		}
	}
}

// fire takes timer tm and acts on it in one transaction.
func (b *Bot) fire(ctx context.Context, tm *tickets.Timer) (bool, error) {
	fired := false
	err := b.store.InTx(ctx, func(tx tickets.Tx) error {
		taken, err := tx.TakeTimer(ctx, tm.ID)
		if err != nil || !taken {
			return err
		}
		t, err := tx.Ticket(ctx, tm.TicketID)
		if err != nil {
			return err
		}
		fired = true
		return b.onTimer(ctx, tx, t, tm)
	})
	return fired, err
}
