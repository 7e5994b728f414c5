package bot

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// agentCommand runs a command only agents may use.
func (b *Bot) agentCommand(ctx context.Context, m Message, agent Agent, c command, usage string) ([]Reply, error) {
	if c.Name == "queue" {
		return b.queue(ctx)
	}
	id, text, err := ticketArg(c.Args, usage)
	if err != nil {
		return nil, err
	}
	if c.Name == "show" {
		return b.show(ctx, m, id, true)
	}
	if (c.Name == ActionReply || c.Name == ActionNote || c.Name == ActionResolve) && text == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "%s needs a text. Usage: %s", "/"+c.Name, usage)
	}
	actor := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]Reply, error) {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		now := b.now()
		var toRequester, done, news string
		switch c.Name {
		case ActionClaim:
			if t.Assignee == actor {
				return []Reply{{Text: fmt.Sprintf("You already have %s.", t.Ref())}}, nil
			}
			if t.Assignee != "" {
				return nil, tickets.Errorf(tickets.ECONFLICT, "%s is already claimed by %s.", t.Ref(), b.agentName(t.Assignee))
			}
			if !t.Status.Active() {
				return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s; reopen it first with /reopen %d.", t.Ref(), t.Status, t.ID)
			}
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventAssigned, Before: t.Assignee, After: actor}); err != nil {
				return nil, err
			}
			t.Assignee = actor
			if t.Status == tickets.StatusNew {
				if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, actor); err != nil {
					return nil, err
				}
			}
			toRequester = fmt.Sprintf("%s is now working on your ticket %s (%s).", agent.Name, t.Ref(), t.Summary)
			news = fmt.Sprintf("%s claimed %s.", agent.Name, t.Ref())
			done = fmt.Sprintf("You claimed %s.", t.Ref())
		case ActionReply:
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventReply, Text: text}); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("%s replied on your ticket %s:\n%s\n(Just answer here and I'll add it to the ticket.)", agent.Name, t.Ref(), quoteLines(text))
			done = fmt.Sprintf("Reply sent to %s on %s.", t.Requester.Display(), t.Ref())
			news = fmt.Sprintf("%s replied to %s:\n%s", agent.Name, t.Requester.Display(), quoteLines(text))
		case ActionNote:
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventNote, Text: text}); err != nil {
				return nil, err
			}
			done = fmt.Sprintf("Internal note added to %s (the requester does not see it).", t.Ref())
			news = fmt.Sprintf("Internal note by %s (not sent to the requester):\n%s", agent.Name, quoteLines(text))
		case ActionPending:
			if err := b.setStatus(ctx, tx, t, tickets.StatusPending, actor); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("Your ticket %s is waiting on you.", t.Ref())
			if text != "" {
				if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventReply, Text: text}); err != nil {
					return nil, err
				}
				toRequester += fmt.Sprintf(" %s asks:\n%s", agent.Name, quoteLines(text))
			}
			toRequester += "\nAnswer here and it goes back to the team."
			done = fmt.Sprintf("%s is pending on the requester.", t.Ref())
			news = fmt.Sprintf("%s set %s pending on the requester.", agent.Name, t.Ref())
			if text != "" {
				news += "\n" + quoteLines(text)
			}
		case ActionResolve:
			if err := b.setStatus(ctx, tx, t, tickets.StatusResolved, actor); err != nil {
				return nil, err
			}
			t.Resolution, t.ResolvedAt = text, now
			toRequester = fmt.Sprintf("Your ticket %s (%s) is resolved by %s:\n%s\nIf it's not fixed, type /reopen %d and tell me what's still wrong.", t.Ref(), t.Summary, agent.Name, quoteLines(text), t.ID)
			done = fmt.Sprintf("%s resolved.", t.Ref())
			news = fmt.Sprintf("%s resolved %s:\n%s", agent.Name, t.Ref(), quoteLines(text))
		}
		if toRequester != "" && t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = now // the requester heard from a human
		}
		t.UpdatedAt = now
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return nil, err
		}
		if toRequester != "" {
			if err := b.tellRequester(ctx, tx, t, c.Name, toRequester); err != nil {
				return nil, err
			}
		}
		if err := b.updateCard(ctx, tx, t, c.Name, news, c.Name != ActionNote && c.Name != ActionReply); err != nil {
			return nil, err
		}
		return []Reply{{Text: done}}, nil
	})
}

// tellRequester queues a message to the requester where they reported the
// problem. The key includes the ticket's event count so each change is sent
// once, however often the transaction is retried.
func (b *Bot) tellRequester(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string) error {
	evs, err := tx.Events(ctx, t.ID)
	if err != nil {
		return err
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{
		Key:      fmt.Sprintf("ticket:%d:%s:%d:requester", t.ID, kind, len(evs)),
		To:       t.Origin,
		UserID:   t.Requester.UserID,
		TicketID: t.ID,
		Text:     text,
	})
}

// reopen moves a resolved or closed ticket back to work. Requesters may
// reopen their own tickets; agents any.
func (b *Bot) reopen(ctx context.Context, m Message, c command, isAgent bool) ([]Reply, error) {
	id, reason, err := ticketArg(c.Args, "/reopen N [reason]")
	if err != nil {
		return nil, err
	}
	actor := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]Reply, error) {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		if !isAgent && t.Requester.Key() != actor {
			return nil, notYours(id)
		}
		if t.Status.Active() {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is still %s; there is nothing to reopen.", t.Ref(), t.Status)
		}
		if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, actor); err != nil {
			return nil, err
		}
		if reason != "" {
			kind := tickets.EventComment
			if isAgent && t.Requester.Key() != actor {
				kind = tickets.EventNote
			}
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: b.now(), Actor: actor, Kind: kind, Text: "reopened: " + reason}); err != nil {
				return nil, err
			}
		}
		t.ResolvedAt, t.Resolution = time.Time{}, ""
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return nil, err
		}
		note := fmt.Sprintf("%s reopened %s (%s).", m.User.Display(), t.Ref(), t.Summary)
		if reason != "" {
			note += "\n" + quoteLines(reason)
		}
		if err := b.updateCard(ctx, tx, t, "reopened", note, true); err != nil {
			return nil, err
		}
		return []Reply{{Text: fmt.Sprintf("%s is open again; the team has been told.", t.Ref())}}, nil
	})
}

// notYours is the answer to a requester asking about someone else's ticket.
// It reads like not-found on purpose: requesters should not learn which
// ticket numbers exist.
func notYours(id int64) error {
	return tickets.Errorf(tickets.ENOTFOUND, "You have no ticket #%d. Type /mine to see yours.", id)
}

// eventView is one history line.
type eventView struct {
	At   time.Time
	Who  string
	What string
}

// show renders a ticket and its history. Requesters see only their own
// tickets and never internal notes.
func (b *Bot) show(ctx context.Context, m Message, id int64, isAgent bool) ([]Reply, error) {
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		if isNotFound(err) && !isAgent {
			return nil, notYours(id)
		}
		return nil, err
	}
	if !isAgent && t.Requester.Key() != m.User.Key() {
		return nil, notYours(id)
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	var views []eventView
	for _, e := range evs {
		if !isAgent && !e.Public() {
			continue
		}
		views = append(views, eventView{At: e.At, Who: b.actorName(e.Actor, t), What: describeEvent(e, b)})
	}
	return []Reply{{Text: b.render("ticket_show", map[string]any{"View": b.ticketView(t), "Events": views}), Ephemeral: true}}, nil
}

func (b *Bot) actorName(key string, t *tickets.Ticket) string {
	if key == t.Requester.Key() {
		return t.Requester.Display()
	}
	return b.agentName(key)
}

func describeEvent(e *tickets.Event, b *Bot) string {
	switch e.Kind {
	case tickets.EventCreated:
		return "opened the ticket"
	case tickets.EventStatus:
		return fmt.Sprintf("status %s → %s", e.Before, e.After)
	case tickets.EventAssigned:
		return "assigned to " + b.agentName(e.After)
	case tickets.EventReply:
		return "replied: " + e.Text
	case tickets.EventNote:
		return "internal note: " + e.Text
	case tickets.EventComment:
		return "wrote: " + e.Text
	case tickets.EventField:
		return fmt.Sprintf("changed %s from %q to %q", e.Field, e.Before, e.After)
	case tickets.EventLinked:
		return "linked: " + e.Text
	}
	return string(e.Kind) + " " + e.Text
}

// queueRow is one line of a ticket list.
type queueRow struct {
	Ref, Summary, Assignee string
	Priority               tickets.Priority
	Status                 tickets.Status
	ResolveDue             time.Time
}

// queue lists active tickets: unassigned first, then by priority and due.
func (b *Bot) queue(ctx context.Context) ([]Reply, error) {
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{
		Statuses: []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated},
		Limit:    200,
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ts, func(i, j int) bool {
		a, c := ts[i], ts[j]
		if (a.Assignee == "") != (c.Assignee == "") {
			return a.Assignee == ""
		}
		if a.Priority != c.Priority {
			return a.Priority < c.Priority
		}
		return a.ResolveDue.Before(c.ResolveDue)
	})
	return []Reply{{Text: b.render("queue", b.queueView("Open tickets", "The queue is empty. Nice.", ts)), Ephemeral: true}}, nil
}

func (b *Bot) queueView(title, empty string, ts []*tickets.Ticket) map[string]any {
	rows := make([]queueRow, len(ts))
	for i, t := range ts {
		rows[i] = queueRow{Ref: t.Ref(), Summary: t.Summary, Assignee: b.agentName(t.Assignee), Priority: t.Priority, Status: t.Status, ResolveDue: t.ResolveDue}
	}
	return map[string]any{"Title": title, "Empty": empty, "Tickets": rows}
}
