package bot

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The desk keeps people informed by itself through timers: whenever a
// ticket changes, its timers are recomputed from its state (schedule, called
// by create and save), and runTimers acts on those that came due. A timer
// is taken in the same transaction as the messages it queues, whose keys
// name the ticket, the timer and its due time, so a timer fires once
// however often the sweep runs, on however many replicas, and one due
// during downtime fires late rather than never.

// onTimer acts on a due timer of ticket t, inside the transaction that took
// it. Keys carry the timer's due time: the same timer never sends twice.
func (b *Bot) onTimer(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, tm *tickets.Timer) error {
	key := fmt.Sprintf("ticket:%d:%s:%d", t.ID, tm.Kind, tm.Due.Unix())
	now := b.now()
	cal := b.conf().Calendar
	switch tm.Kind {
	case tickets.TimerResponseWarn, tickets.TimerResolveWarn, tickets.TimerResponseBreach, tickets.TimerResolveBreach:
		what, due := "resolved", t.ResolveDue
		if tm.Kind == tickets.TimerResponseWarn || tm.Kind == tickets.TimerResponseBreach {
			what, due = "first answered", t.ResponseDue
		}
		who := b.agentName(t.Assignee)
		if who == "" {
			who = "nobody (unclaimed)"
		}
		var text string
		if tm.Kind == tickets.TimerResponseBreach || tm.Kind == tickets.TimerResolveBreach {
			text = fmt.Sprintf("SLA BREACH: %s (%s) was due to be %s by %s. Assigned: %s.", t.Ref(), t.Priority, what, b.when(due, "Mon 2 Jan 15:04"), who)
		} else {
			text = fmt.Sprintf("SLA warning: %s (%s, %s) must be %s by %s — %s of working time left. Assigned: %s.", t.Ref(), t.Priority, t.Summary, what, b.when(due, "Mon 2 Jan 15:04"), shortDur(cal.Between(now, due)), who)
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: "bot", Kind: tickets.EventAlerted,
			Field: string(tm.Kind), After: fmt.Sprint(tm.Due.Unix()), Text: text}); err != nil {
			return err
		}
		mentions, err := b.alertOnDuty(ctx, tx, t, key, text)
		if err != nil {
			return err
		}
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key + ":triage", To: b.conf().Triage, Thread: cardKey(t.ID), TicketID: t.ID, Text: text, Mentions: mentions}); err != nil {
			return err
		}
		for _, agent := range uniqueKeys(t.Assignee, t.Owner) {
			if err := b.tellAgent(ctx, tx, t, agent, key+":"+agent, text); err != nil {
				return err
			}
		}
		return nil
	case tickets.TimerStatusUpdate:
		who := "the team"
		if t.Assignee != "" {
			who = b.agentName(t.Assignee)
		}
		state := "is being investigated by " + who
		switch {
		case t.Assignee == "":
			state = "is in the queue and will be picked up soon"
		case t.Status == tickets.StatusEscalated:
			state = fmt.Sprintf("is with %s at tier %d", who, t.Tier)
		}
		expected := "expected by " + b.when(t.ResolveDue, "Mon 2 Jan 15:04")
		if !t.ResolveDue.After(now) {
			// "Expected by" a time gone by reads as a mistake.
			expected = "it was due by " + b.when(t.ResolveDue, "Mon 2 Jan 15:04") + " and is taking longer than planned, sorry for the wait"
		}
		text := fmt.Sprintf("Status of your ticket %s (%s): it %s; %s. Reply here if anything has changed.", t.Ref(), t.Summary, state, expected)
		return b.notifyRequester(ctx, tx, t, tm, key, text, nil)
	case tickets.TimerFollowUp:
		id := fmt.Sprint(t.ID)
		buttons := []tickets.Button{
			{Label: "Still fixed", Action: chat.ActionStillFixed, Value: id},
			{Label: "Not fixed", Action: chat.ActionNotFixed, Value: id},
		}
		for score := 1; score <= 5; score++ {
			buttons = append(buttons, tickets.Button{Label: strings.Repeat("★", score), Action: chat.ActionRate, Value: fmt.Sprintf("%d:%d", t.ID, score)})
		}
		text := fmt.Sprintf("Is %s (%s) still fixed? And how did we do, from 1 to 5 stars? If it's broken again, press Not fixed and it goes straight back to %s.", t.Ref(), t.Summary, orTeam(b.agentName(cmp.Or(t.Owner, t.Assignee))))
		return b.notifyRequester(ctx, tx, t, tm, key, text, buttons)
	case tickets.TimerAutoClose, tickets.TimerPendingClose:
		from := t.Status
		if err := b.setStatus(ctx, tx, t, tickets.StatusClosed, "bot"); err != nil {
			return err
		}
		t.UpdatedAt = now
		text := fmt.Sprintf("Your ticket %s (%s) is now closed as we didn't hear back. If you still need help, just message me.", t.Ref(), t.Summary)
		if from == tickets.StatusResolved {
			text = fmt.Sprintf("Your ticket %s (%s) is closed now. If the problem comes back, just message me and mention %s.", t.Ref(), t.Summary, t.Ref())
		}
		return b.notifyRequester(ctx, tx, t, tm, key, text, nil)
	case tickets.TimerPendingRemind:
		text := fmt.Sprintf("Reminder: your ticket %s (%s) is waiting on your answer. Just reply here; without one it will close on %s.", t.Ref(), t.Summary, b.when(deskOpen(cal, t.PausedAt.Add(b.conf().Followups.PendingClose)), "Mon 2 Jan"))
		return b.notifyRequester(ctx, tx, t, tm, key, text, nil)
	}
	return fmt.Errorf("timer kind %q is unknown", tm.Kind)
}

// notifyRequester sends the requester a message of the desk's own, records
// it on the ticket (so the next status update counts from it) and saves
// the ticket with its new timers.
func (b *Bot) notifyRequester(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, tm *tickets.Timer, key, text string, buttons []tickets.Button) error {
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: b.now(), Actor: "bot", Kind: tickets.EventNotified,
		Field: string(tm.Kind), After: fmt.Sprint(tm.Due.Unix()), Text: text}); err != nil {
		return err
	}
	if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key + ":requester", To: t.Origin, UserID: t.Requester.UserID, TicketID: t.ID, Text: text, Buttons: buttons}); err != nil {
		return err
	}
	if tm.Kind == tickets.TimerAutoClose || tm.Kind == tickets.TimerPendingClose {
		if err := b.updateCard(ctx, tx, t, string(tm.Kind), fmt.Sprintf("%s closed: no answer from the requester.", t.Ref()), true); err != nil {
			return err
		}
	}
	return b.save(ctx, tx, t)
}

// shortDur shows a duration as "2h 30m".
func shortDur(d time.Duration) string {
	m := int(d.Minutes())
	if m < 60 {
		return fmt.Sprintf("%dm", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dh %dm", m/60, m%60)
}

// schedule replaces t's timers with those its state calls for.
func (b *Bot) schedule(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	evs, err := tx.Events(ctx, t.ID)
	if err != nil {
		return err
	}
	return tx.SetTimers(ctx, t.ID, b.timersFor(t, lastSeen(t, evs), firedTimers(t, evs)))
}

// firedTimers are the timers that already acted on a ticket, as
// "kind@unix-due" from the notified and alerted events they recorded, so a
// ticket rescheduled after they fired does not get them again. An SLA
// warning or breach fires once for its targets, however a pending period
// moves its time: it is also recorded by kind alone, from when the targets
// were last set (the opening, a reopen, a new priority).
func firedTimers(t *tickets.Ticket, evs []*tickets.Event) map[string]bool {
	fired := map[string]bool{}
	targetsSet := slaStart(t, evs)
	for _, e := range evs {
		if e.Kind == tickets.EventField && e.Field == "priority" && e.At.After(targetsSet) {
			targetsSet = e.At
		}
	}
	for _, e := range evs {
		if (e.Kind == tickets.EventNotified || e.Kind == tickets.EventAlerted) && e.After != "" {
			fired[e.Field+"@"+e.After] = true
			if slaTimer(tickets.TimerKind(e.Field)) && !e.At.Before(targetsSet) {
				fired[e.Field] = true
			}
		}
	}
	return fired
}

// slaTimer reports whether kind warns of or reports an SLA deadline.
func slaTimer(kind tickets.TimerKind) bool {
	switch kind {
	case tickets.TimerResponseWarn, tickets.TimerResponseBreach, tickets.TimerResolveWarn, tickets.TimerResolveBreach:
		return true
	}
	return false
}

// slaStart is when t's SLA targets started counting: its opening, or its
// last reopen, which sets fresh targets.
func slaStart(t *tickets.Ticket, evs []*tickets.Event) time.Time {
	start := t.CreatedAt
	for _, e := range evs {
		reopened := e.Kind == tickets.EventStatus && e.After == string(tickets.StatusOpen) &&
			(e.Before == string(tickets.StatusResolved) || e.Before == string(tickets.StatusClosed))
		if reopened && e.At.After(start) {
			start = e.At
		}
	}
	return start
}

// pausedSince is the working time t spent waiting on its requester after
// since, in pending periods that have ended, as the SLA clock counts it.
func pausedSince(cal *tickets.Calendar, evs []*tickets.Event, since time.Time) time.Duration {
	var total time.Duration
	var from time.Time
	for _, e := range evs {
		if e.Kind != tickets.EventStatus {
			continue
		}
		switch {
		case e.After == string(tickets.StatusPending):
			from = e.At
		case e.Before == string(tickets.StatusPending) && !from.IsZero():
			total += cal.Between(maxTime(from, since), e.At)
			from = time.Time{}
		}
	}
	return total
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
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

// deskOpen is due, or when the desk next opens if it is closed then: the
// desk's messages to requesters (status, "still fixed?", reminders,
// closing) wait for business hours rather than arrive at 3am or on a
// Sunday saying the ticket "will be picked up soon".
func deskOpen(cal *tickets.Calendar, due time.Time) time.Time {
	if due.IsZero() {
		return due
	}
	next, _ := cal.Opens(due)
	return next
}

// timersFor is what a ticket in t's state waits for, leaving out timers
// that already fired.
func (b *Bot) timersFor(t *tickets.Ticket, seen time.Time, fired map[string]bool) []tickets.Timer {
	cfg := b.conf()
	f, cal := cfg.Followups, cfg.Calendar
	var ts []tickets.Timer
	add := func(kind tickets.TimerKind, due time.Time) {
		if !slaTimer(kind) {
			due = deskOpen(cal, due)
		}
		if !due.IsZero() && !fired[fmt.Sprintf("%s@%d", kind, due.Unix())] && !fired[string(kind)] {
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
		closeAt := t.ResolvedAt.Add(f.CloseAfter)
		if f.FollowUpAfter > 0 && t.CSAT == 0 {
			add(tickets.TimerFollowUp, t.ResolvedAt.Add(f.FollowUpAfter))
			// "Still fixed?" waits for the desk to open (resolved on a
			// Friday evening, asked on Monday): the person still gets the
			// whole time to answer it before the ticket closes.
			if f.CloseAfter > f.FollowUpAfter {
				if asked := deskOpen(cal, t.ResolvedAt.Add(f.FollowUpAfter)).Add(f.CloseAfter - f.FollowUpAfter); asked.After(closeAt) {
					closeAt = asked
				}
			}
		}
		if f.CloseAfter > 0 {
			add(tickets.TimerAutoClose, closeAt)
		}
	}
	return ts
}

// runTimers acts on every timer due by now and returns how many fired. A
// failure on one timer is logged and leaves it for the next run.
func (b *Bot) runTimers(ctx context.Context) (int, error) {
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
