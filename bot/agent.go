package bot

import (
	"context"
	"fmt"
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
	switch {
	case c.Name == chat.ActionPending && text == "":
		// Waiting on someone who was not told what for helps nobody.
		return nil, tickets.Errorf(tickets.EINVALID, "What do you need from the requester? Write it after the ticket number; it is sent to them: %s", usage)
	case (c.Name == chat.ActionReply || c.Name == chat.ActionNote || c.Name == chat.ActionResolve) && text == "":
		return nil, tickets.Errorf(tickets.EINVALID, "%s needs a text. Usage: %s", "/"+c.Name, usage)
	}
	actor := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, c, id)
		if err != nil {
			return nil, err
		}
		if (c.Name == chat.ActionResolve || c.Name == chat.ActionPending) && !t.Status.Active() {
			// Resolving again would overwrite what fixed it and restart
			// the follow-up and auto-close clocks, while saying "resolved".
			if t.Status == tickets.StatusResolved && c.Name == chat.ActionResolve {
				said := "."
				if t.Resolution != "" {
					said = ":\n" + quoteLines(t.Resolution)
				}
				return nil, tickets.Errorf(tickets.ECONFLICT, "%s is already resolved%s\nTo add to it, use /note %d; to resolve it differently, reopen it first with /reopen %d.", t.Ref(), said, t.ID, t.ID)
			}
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s; reopen it first with /reopen %d.", t.Ref(), t.Status, t.ID)
		}
		text := text
		var macro string
		var uses int
		if c.Name == chat.ActionReply || c.Name == chat.ActionPending || c.Name == chat.ActionResolve {
			if text, macro, uses, err = b.expandMacro(ctx, tx, t, agent.Name, text); err != nil {
				return nil, err
			}
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
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventReply, Text: text}); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("Your ticket %s is waiting on you. %s asks:\n%s\nAnswer here and it goes back to the team.", t.Ref(), agent.Name, quoteLines(text))
			done = fmt.Sprintf("%s is pending on the requester.", t.Ref())
			news = fmt.Sprintf("%s set %s pending on the requester:\n%s", agent.Name, t.Ref(), quoteLines(text))
		case chat.ActionResolve:
			if err := b.setStatusSaying(ctx, tx, t, tickets.StatusResolved, actor, text); err != nil {
				return nil, err
			}
			t.Resolution, t.ResolvedAt = text, now
			if err := b.resolveLinked(ctx, tx, t, actor); err != nil {
				return nil, err
			}
			toRequester = fmt.Sprintf("Your ticket %s (%s) is resolved by %s:\n%s\nIf it's not fixed, type /reopen %d and tell me what's still wrong; /transcript %d gives you the whole conversation to keep.", t.Ref(), t.Summary, agent.Name, quoteLines(text), t.ID, t.ID)
			done = fmt.Sprintf("%s resolved.", t.Ref())
			news = fmt.Sprintf("%s resolved %s:\n%s", agent.Name, t.Ref(), quoteLines(text))
		}
		if macro != "" {
			done += fmt.Sprintf(" (macro %s, used %s)", macro, plural(uses, "once", fmt.Sprintf("%d times", uses)))
		}
		if toRequester != "" && t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = now // the requester heard from a human
		}
		t.UpdatedAt = now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		if toRequester != "" {
			h, err := b.tellRequester(ctx, tx, t, c.Name, toRequester)
			if err != nil {
				return nil, err
			}
			done += h.forAgent()
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
		detached := int64(0)
		if t.LinkedTo != 0 {
			parent, err := tx.Ticket(ctx, t.LinkedTo)
			if err != nil {
				return nil, err
			}
			if parent.Status.Active() {
				// Its work still lives on the ticket it joined; reopening
				// it alone would make work nobody sees.
				if seesInternal(a, t) {
					return nil, tickets.Errorf(tickets.ECONFLICT, "%s was joined to #%d, which is still being worked on; work it there (/reply %d writes to this ticket's requester).", t.Ref(), parent.ID, t.ID)
				}
				return nil, tickets.Errorf(tickets.ECONFLICT, "%s was joined to #%d, which the team is still working on; you'll hear here how it goes. If something else is wrong, describe it to me and I'll open a ticket.", t.Ref(), parent.ID)
			}
			// The incident (or the ticket it was merged into) is over and
			// this person's problem is not: it becomes work of its own.
			detached, t.LinkedTo = parent.ID, 0
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
		who := m.User.Display()
		if a.IsAgent && t.Requester.Key() != actor {
			who = a.Agent.Name // as the agent's other news names them
		}
		note := fmt.Sprintf("%s reopened %s (%s).", who, t.Ref(), t.Summary)
		if reason != "" {
			note += "\n" + quoteLines(reason)
		}
		if detached != 0 {
			return b.reopenDetached(ctx, tx, t, detached, actor, note)
		}
		if err := b.updateCard(ctx, tx, t, "reopened", note, true); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is open again; the team has been told.", t.Ref())}}, nil
	})
}

// reopenDetached finishes the reopen of t, a report that was linked to
// parent (a major incident, or the ticket it was merged into) now resolved:
// t is work of its own, with a triage card of its own (a linked report had
// none), and parent's card says it left.
func (b *Bot) reopenDetached(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, parent int64, actor, note string) ([]chat.Reply, error) {
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: b.now(), Actor: actor, Kind: tickets.EventLinked, Before: fmt.Sprint(parent),
		Text: fmt.Sprintf("no longer linked to #%d: reopened as a ticket of its own", parent)}); err != nil {
		return nil, err
	}
	if err := b.postCard(ctx, tx, t); err != nil {
		return nil, err
	}
	if err := b.updateCard(ctx, tx, t, "reopened", note+fmt.Sprintf("\nIt was linked to #%d, which is resolved; it is now a ticket of its own.", parent), false); err != nil {
		return nil, err
	}
	p, err := tx.Ticket(ctx, parent)
	if err != nil {
		return nil, err
	}
	if err := b.updateCard(ctx, tx, p, fmt.Sprintf("detached-%d", t.ID), fmt.Sprintf("%s is not fixed for its reporter: reopened as a ticket of its own.", t.Ref()), false); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("%s is open again as a ticket of its own (#%d, which it was linked to, is resolved); the team has been told.", t.Ref(), parent)}}, nil
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
