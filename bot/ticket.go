package bot

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// openTicket files the finished report as a ticket, announces it to the
// triage channel through the outbox and confirms it to the requester.
func (b *Bot) openTicket(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) ([]chat.Reply, error) {
	t := b.ticketFromIntake(m, s)
	if err := b.prefill(ctx, tx, t); err != nil {
		return nil, err
	}
	first, n, prev, err := b.findStorm(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	if err := b.create(ctx, tx, t); err != nil {
		return nil, fmt.Errorf("open ticket: %w", err)
	}
	s.Opened = t.ID
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: t.CreatedAt, Actor: m.User.Key(), Kind: tickets.EventCreated, After: string(t.Status), Text: t.Summary}); err != nil {
		return nil, err
	}
	for _, f := range t.Flags {
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: t.CreatedAt, Actor: "bot", Kind: tickets.EventFlag, After: f}); err != nil {
			return nil, err
		}
	}
	if err := b.postCard(ctx, tx, t); err != nil {
		return nil, err
	}
	if err := b.unlinkDuplicate(ctx, tx, m, s, t); err != nil {
		return nil, err
	}
	if first != nil {
		if err := b.suggestMajor(ctx, tx, first, n, prev); err != nil {
			return nil, err
		}
	}
	hours, err := b.supportHours(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	b.log.InfoContext(ctx, "ticket opened", "ticket", t.ID, "priority", t.Priority.String(), "category", string(t.Category))
	v := b.ticketView(t)
	v.Hours = hours
	return []chat.Reply{{Text: b.render("ticket_opened", v)}}, nil
}

// ticketFromIntake builds the ticket a finished report becomes.
func (b *Bot) ticketFromIntake(m chat.Message, s *intakeState) *tickets.Ticket {
	now := b.now()
	t := &tickets.Ticket{
		Kind: s.Kind, RequestType: s.Request, Status: tickets.StatusNew,
		Category: s.Category, Impact: s.Impact, Urgency: s.Urgency,
		Requester: m.User, Origin: m.Place(), Fields: map[string]string{},
		Tier: 1, CreatedAt: now, UpdatedAt: now,
	}
	maps.Copy(t.Fields, s.Fields)
	if len(s.Steps) > 0 {
		t.Fields[tickets.FieldSteps] = strings.Join(s.Steps, "; ")
	}
	t.Fields["description"] = strings.Join(s.Messages, "\n")
	if s.Secret {
		t.Fields[tickets.FieldSecretMsg] = "yes: a secret was pasted and masked; make sure it was changed"
	}
	if t.Kind == tickets.KindRequest {
		rt, _ := b.requestType(s.Request)
		t.Priority = rt.Priority
		if !t.Priority.Valid() {
			t.Priority = tickets.P4
		}
		t.Summary = rt.Title
		if len(rt.Fields) > 0 && s.Fields[rt.Fields[0].Name] != "" {
			t.Summary += ": " + extract.Summarize(s.Fields[rt.Fields[0].Name])
		}
		if rt.Name == "" { // a request the catalog has no form for
			t.Summary = extract.Summarize(s.Fields[tickets.FieldSymptom])
			if t.Category == "" {
				t.Category = tickets.CategoryOther
			}
		}
	} else {
		if t.Category == "" {
			t.Category = tickets.CategoryOther
		}
		if t.Impact == "" {
			t.Impact = tickets.Medium
		}
		if t.Urgency == "" {
			t.Urgency = tickets.Medium
		}
		t.Priority = b.conf().Matrix.Priority(t.Impact, t.Urgency)
		t.Summary = extract.Summarize(s.Fields[tickets.FieldSymptom])
	}
	t.ResponseDue, t.ResolveDue = b.conf().SLA.Due(b.conf().Calendar, t.Priority, now)
	t.Flags = extract.SecurityFlags(strings.Join(s.Messages, "\n"))
	return t
}

// setStatus moves a ticket to next if the lifecycle allows it and records
// the audit event. The caller saves the ticket.
func (b *Bot) setStatus(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, next tickets.Status, actor string) error {
	return b.setStatusSaying(ctx, tx, t, next, actor, "")
}

// setStatusSaying is setStatus with why, kept on the audit event: a
// resolution's text stays in the history after a reopen clears
// Ticket.Resolution.
func (b *Bot) setStatusSaying(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, next tickets.Status, actor, why string) error {
	if t.Status == next {
		return nil
	}
	if !t.Status.CanTransition(next) {
		return tickets.Errorf(tickets.ECONFLICT, "Ticket %s is %s and cannot be moved to %s.", t.Ref(), t.Status, next)
	}
	ev := &tickets.Event{TicketID: t.ID, At: b.now(), Actor: actor, Kind: tickets.EventStatus, Before: string(t.Status), After: string(next), Text: why}
	// The SLA clock stops while the ticket waits on its requester.
	if next == tickets.StatusPending {
		b.pause(t, ev.At)
	} else if t.Status == tickets.StatusPending {
		b.resume(t, ev.At)
	}
	t.Status = next
	t.UpdatedAt = ev.At
	return tx.AddEvent(ctx, ev)
}

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
