package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

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
