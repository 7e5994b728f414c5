package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

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
			text = fmt.Sprintf("SLA BREACH: %s (%s) was due to be %s by %s. Assigned: %s.", t.Ref(), t.Priority, what, due.Format("Mon 2 Jan 15:04"), who)
		} else {
			text = fmt.Sprintf("SLA warning: %s (%s, %s) must be %s by %s — %s of working time left. Assigned: %s.", t.Ref(), t.Priority, t.Summary, what, due.Format("Mon 2 Jan 15:04"), shortDur(cal.Between(now, due)), who)
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: "bot", Kind: tickets.EventAlerted,
			Field: string(tm.Kind), After: fmt.Sprint(tm.Due.Unix()), Text: text}); err != nil {
			return err
		}
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key + ":triage", To: b.conf().Triage, Thread: cardKey(t.ID), TicketID: t.ID, Text: text}); err != nil {
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
		text := fmt.Sprintf("Status of your ticket %s (%s): it %s; expected by %s. Reply here if anything has changed.", t.Ref(), t.Summary, state, t.ResolveDue.Format("Mon 2 Jan 15:04"))
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
		text := fmt.Sprintf("Reminder: your ticket %s (%s) is waiting on your answer. Just reply here; without one it will close on %s.", t.Ref(), t.Summary, t.PausedAt.Add(b.conf().Followups.PendingClose).Format("Mon 2 Jan"))
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

// tellAgent sends an agent (by Person key) a direct message.
func (b *Bot) tellAgent(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, agentKey, key, text string) error {
	platform, user, ok := strings.Cut(agentKey, ":")
	if !ok {
		return nil
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key, To: tickets.Place{Platform: platform}, UserID: user, TicketID: t.ID, Text: text})
}

// followUp handles the buttons of the follow-up question: still fixed,
// not fixed (reopens to its owner) and the 1-5 rating.
func (b *Bot) followUp(ctx context.Context, m chat.Message, a chat.Action) ([]chat.Reply, error) {
	idText, scoreText, _ := strings.Cut(a.Value, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return nil, tickets.Errorf(tickets.EINVALID, "That button names no ticket; type /mine to see yours.")
	}
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := tx.Ticket(ctx, id)
		if isNotFound(err) || err == nil && t.Requester.Key() != m.User.Key() {
			return nil, notYours(id)
		} else if err != nil {
			return nil, err
		}
		now := b.now()
		switch a.Name {
		case chat.ActionRate:
			score, err := strconv.Atoi(scoreText)
			if err != nil || score < 1 || score > 5 {
				return nil, tickets.Errorf(tickets.EINVALID, "A rating is 1 to 5 stars.")
			}
			t.CSAT, t.UpdatedAt = score, now
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventRated, After: fmt.Sprint(score)}); err != nil {
				return nil, err
			}
			if err := b.save(ctx, tx, t); err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: fmt.Sprintf("Thanks for rating %s %d out of 5.", t.Ref(), score)}}, nil
		case chat.ActionStillFixed:
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventComment, Text: "still fixed"}); err != nil {
				return nil, err
			}
			if t.Status == tickets.StatusResolved {
				if err := b.setStatus(ctx, tx, t, tickets.StatusClosed, m.User.Key()); err != nil {
					return nil, err
				}
			}
			if err := b.save(ctx, tx, t); err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: fmt.Sprintf("Great — %s is closed. Thanks for letting us know.", t.Ref())}}, nil
		}
		// Not fixed: back to whoever owned it, noted as a reopen.
		if t.Status.Active() {
			return []chat.Reply{{Text: fmt.Sprintf("%s is already open; the team is on it.", t.Ref())}}, nil
		}
		if t.LinkedTo != 0 {
			return []chat.Reply{{Text: fmt.Sprintf("%s was joined to #%d, where the work happens. Tell me what's still wrong as a new report and I'll link it.", t.Ref(), t.LinkedTo)}}, nil
		}
		if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, m.User.Key()); err != nil {
			return nil, err
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventComment, Text: "reopened: not fixed (follow-up)"}); err != nil {
			return nil, err
		}
		if t.Owner != "" {
			t.Assignee, t.Tier, t.Team = t.Owner, 1, ""
		}
		t.ResolvedAt, t.Resolution, t.UpdatedAt = time.Time{}, "", now
		t.ResponseDue, t.ResolveDue = b.conf().SLA.Due(b.conf().Calendar, t.Priority, now)
		t.FirstResponseAt = now // the desk has already answered once
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		news := fmt.Sprintf("%s says %s is not fixed: reopened and back with %s.", m.User.Display(), t.Ref(), orTeam(b.agentName(t.Assignee)))
		if err := b.updateCard(ctx, tx, t, "reopened", news, true); err != nil {
			return nil, err
		}
		if t.Assignee != "" {
			if err := b.tellAgent(ctx, tx, t, t.Assignee, fmt.Sprintf("ticket:%d:notfixed:%d", t.ID, now.Unix()), news); err != nil {
				return nil, err
			}
		}
		return []chat.Reply{{Text: fmt.Sprintf("Sorry it's back. %s is open again with %s; tell me here what you see now.", t.Ref(), orTeam(b.agentName(t.Assignee)))}}, nil
	})
}

func uniqueKeys(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func orTeam(name string) string {
	if name == "" {
		return "the team"
	}
	return name
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
