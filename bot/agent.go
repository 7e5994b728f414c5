package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// agentCommand runs claim, reply, note, pending and resolve.
func (b *Bot) agentCommand(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a, c, usage := r.m, r.a, r.cmd, r.cmd.usage()
	agent := a.Agent
	id, text, err := ticketArg(r.args, usage)
	if err != nil {
		return nil, err
	}
	if (c.Name == chat.ActionReply || c.Name == chat.ActionNote || c.Name == chat.ActionResolve) && text == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "%s needs a text. Usage: %s", "/"+c.Name, usage)
	}
	actor := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, c, id)
		if err != nil {
			return nil, err
		}
		now := b.now()
		var toRequester, done, news string
		switch c.Name {
		case chat.ActionClaim:
			if t.Assignee == actor {
				return []chat.Reply{{Text: fmt.Sprintf("You already have %s.", t.Ref())}}, nil
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
		case chat.ActionReply:
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventReply, Text: text}); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("%s replied on your ticket %s:\n%s\n(Just answer here and I'll add it to the ticket.)", agent.Name, t.Ref(), quoteLines(text))
			done = fmt.Sprintf("Reply sent to %s on %s.", t.Requester.Display(), t.Ref())
			news = fmt.Sprintf("%s replied to %s:\n%s", agent.Name, t.Requester.Display(), quoteLines(text))
		case chat.ActionNote:
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventNote, Text: text}); err != nil {
				return nil, err
			}
			done = fmt.Sprintf("Internal note added to %s (the requester does not see it).", t.Ref())
			news = fmt.Sprintf("Internal note by %s (not sent to the requester):\n%s", agent.Name, quoteLines(text))
		case chat.ActionPending:
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
		case chat.ActionResolve:
			if err := b.setStatus(ctx, tx, t, tickets.StatusResolved, actor); err != nil {
				return nil, err
			}
			t.Resolution, t.ResolvedAt = text, now
			if err := b.resolveLinked(ctx, tx, t, actor); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("Your ticket %s (%s) is resolved by %s:\n%s\nIf it's not fixed, type /reopen %d and tell me what's still wrong.", t.Ref(), t.Summary, agent.Name, quoteLines(text), t.ID)
			done = fmt.Sprintf("%s resolved.", t.Ref())
			news = fmt.Sprintf("%s resolved %s:\n%s", agent.Name, t.Ref(), quoteLines(text))
		}
		if toRequester != "" && t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = now // the requester heard from a human
		}
		t.UpdatedAt = now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		if toRequester != "" {
			if err := b.tellRequester(ctx, tx, t, c.Name, toRequester); err != nil {
				return nil, err
			}
		}
		if err := b.updateCard(ctx, tx, t, c.Name, news, c.Name != chat.ActionNote && c.Name != chat.ActionReply); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, t, a, c.Name, news); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: done + flagWarning(t)}}, nil
	})
}

// tellRequester queues text to t's requester where they reported the
// problem, and to the requester of every ticket linked to t.
func (b *Bot) tellRequester(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string) error {
	_, err := b.tellAffected(ctx, tx, t, kind, text)
	return err
}

// tellAffected queues text to t's requester and to the requester of every
// ticket linked to t (merged into it, or reports of its major incident),
// once per person, and returns how many people it reaches. Keys carry the
// ticket's event count, so each change is sent once however often the
// transaction is retried.
func (b *Bot) tellAffected(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string) (int, error) {
	evs, err := tx.Events(ctx, t.ID)
	if err != nil {
		return 0, err
	}
	key := fmt.Sprintf("ticket:%d:%s:%d:requester", t.ID, kind, len(evs))
	if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key, To: t.Origin, UserID: t.Requester.UserID, TicketID: t.ID, Text: text}); err != nil {
		return 0, err
	}
	linked, err := tx.FindTickets(ctx, tickets.TicketFilter{LinkedTo: t.ID, Limit: 1000})
	if err != nil {
		return 0, err
	}
	told := map[string]bool{t.Requester.Key(): true}
	for _, l := range linked {
		if told[l.Requester.Key()] {
			continue
		}
		told[l.Requester.Key()] = true
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{
			Key: fmt.Sprintf("%s:%d", key, l.ID), To: l.Origin, UserID: l.Requester.UserID, TicketID: l.ID,
			Text: fmt.Sprintf("(About your report %s, linked to %s.)\n%s", l.Ref(), t.Ref(), text),
		}); err != nil {
			return 0, err
		}
	}
	return len(told), nil
}

// reopen moves a resolved or closed ticket back to work. Requesters may
// reopen their own tickets; agents any.
func (b *Bot) reopen(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	id, reason, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	actor := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, r.cmd, id)
		if err != nil {
			return nil, err
		}
		if t.Status.Active() {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is still %s; there is nothing to reopen.", t.Ref(), t.Status)
		}
		if t.LinkedTo != 0 {
			// Its work lives on the ticket it joined; reopening it alone
			// would make work nobody sees.
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s was joined to #%d, which is where the work happens; reopen #%d, or describe what's still wrong as a new report.", t.Ref(), t.LinkedTo, t.LinkedTo)
		}
		if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, actor); err != nil {
			return nil, err
		}
		if reason != "" {
			kind := tickets.EventComment
			if a.IsAgent && t.Requester.Key() != actor {
				kind = tickets.EventNote
			}
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: b.now(), Actor: actor, Kind: kind, Text: "reopened: " + reason}); err != nil {
				return nil, err
			}
		}
		t.ResolvedAt, t.Resolution = time.Time{}, ""
		// A reopened ticket gets fresh SLA targets from now: the old ones
		// have passed, and their alerts already went out.
		t.ResponseDue, t.ResolveDue = b.conf().SLA.Due(b.conf().Calendar, t.Priority, b.now())
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		note := fmt.Sprintf("%s reopened %s (%s).", m.User.Display(), t.Ref(), t.Summary)
		if reason != "" {
			note += "\n" + quoteLines(reason)
		}
		if err := b.updateCard(ctx, tx, t, "reopened", note, true); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is open again; the team has been told.", t.Ref())}}, nil
	})
}

// ticketFor loads ticket id for a to run cmd on. A requester asking about
// a ticket that is not theirs, or does not exist, gets the same answer.
func (b *Bot) ticketFor(ctx context.Context, tx tickets.Tx, a actor, cmd *command, id int64) (*tickets.Ticket, error) {
	t, err := tx.Ticket(ctx, id)
	if isNotFound(err) && !a.IsAgent {
		return nil, notYours(id)
	} else if err != nil {
		return nil, err
	}
	if !a.can(cmd, t) {
		return nil, a.refuse(cmd, t)
	}
	return t, nil
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
func (b *Bot) show(ctx context.Context, r request) ([]chat.Reply, error) {
	a, cmd := r.a, r.cmd
	id, _, err := ticketArg(r.args, cmd.usage())
	if err != nil {
		return nil, err
	}
	isAgent := a.IsAgent
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		if isNotFound(err) && !isAgent {
			return nil, notYours(id)
		}
		return nil, err
	}
	if !a.can(cmd, t) {
		return nil, a.refuse(cmd, t)
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
	text := b.render("ticket_show", map[string]any{"View": b.ticketView(t), "Events": views})
	if isAgent {
		text += flagWarning(t)
	}
	return []chat.Reply{{Text: text, Ephemeral: true}}, nil
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
	case tickets.EventEscalated:
		return fmt.Sprintf("escalated from tier %s to tier %s with handoff note:\n%s", e.Before, e.After, indent(e.Text))
	case tickets.EventDeescalated:
		return fmt.Sprintf("sent back to tier %s: %s", e.After, e.Text)
	case tickets.EventMerged:
		return "merged into #" + e.After
	case tickets.EventMajor:
		return "declared a major incident " + e.After
	case tickets.EventUpdate:
		return "posted an update: " + e.Text
	case tickets.EventFlag:
		return "flagged: " + e.After
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
// Agents see their tier and below; managers and admins every tier.
// Reports linked to a major incident or merged into another ticket are
// worked through that ticket and left out.
func (b *Bot) queue(ctx context.Context, r request) ([]chat.Reply, error) {
	a := r.a
	f := tickets.TicketFilter{
		Statuses: []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated},
		Unlinked: true,
		Limit:    200,
	}
	title := "Open tickets"
	if !a.seesAll() {
		f.MaxTier = a.Agent.Tier
		title = "Open tickets, tier 1"
		if a.Agent.Tier > 1 {
			title = fmt.Sprintf("Open tickets, tiers 1–%d", a.Agent.Tier)
		}
	}
	ts, err := b.store.FindTickets(ctx, f)
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
	return []chat.Reply{{Text: b.render("queue", b.queueView(title, "The queue is empty. Nice.", ts)), Ephemeral: true}}, nil
}

func (b *Bot) queueView(title, empty string, ts []*tickets.Ticket) map[string]any {
	rows := make([]queueRow, len(ts))
	for i, t := range ts {
		rows[i] = queueRow{Ref: t.Ref(), Summary: t.Summary, Assignee: b.agentName(t.Assignee), Priority: t.Priority, Status: t.Status, ResolveDue: t.ResolveDue}
	}
	return map[string]any{"Title": title, "Empty": empty, "Tickets": rows}
}

// article shows a KB article's full text, and counts it as read.
func (b *Bot) article(ctx context.Context, r request) ([]chat.Reply, error) {
	id := strings.TrimSpace(r.args)
	if id == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Which article? Usage: /article ID (the ID is shown under each suggestion).")
	}
	a, ok := b.kb.Article(id)
	if !ok {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "There is no article %q. The ID is shown under each suggestion, like /article vpn-cannot-connect.", id)
	}
	b.countOpened(ctx, r.m, id)
	return []chat.Reply{{Text: a.Title + "\n\n" + a.Body, Ephemeral: true}}, nil
}

// mine lists the sender's open tickets.
//
// Tickets are shown to requesters only when they are theirs; see show.
func (b *Bot) mine(ctx context.Context, r request) ([]chat.Reply, error) {
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{
		Requester: r.m.User.Key(),
		Statuses:  []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated, tickets.StatusResolved},
	})
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: b.render("queue", b.queueView("Your tickets", "You have no open tickets. Describe a problem whenever you need help.", ts)), Ephemeral: true}}, nil
}
