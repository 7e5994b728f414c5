package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// merge closes a duplicate ticket into the one that stays. The duplicate's
// history is kept, it points at the survivor, and its requester hears how
// the survivor goes, in neutral lines, never what is written to the
// survivor's requester (see tellRequester).
func (b *Bot) merge(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a, usage := r.m, r.a, r.cmd.usage()
	from, rest, err := ticketArg(r.args, usage)
	if err != nil {
		return nil, err
	}
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "into"))
	into, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(rest), "#"), 10, 64)
	if err != nil || into <= 0 {
		return nil, tickets.Errorf(tickets.EINVALID, "Merge into which ticket? Usage: %s", usage)
	}
	if into == from {
		return nil, tickets.Errorf(tickets.EINVALID, "A ticket cannot be merged into itself. Usage: %s", usage)
	}
	actorKey := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		dup, err := tx.Ticket(ctx, from)
		if err != nil {
			return nil, err
		}
		keep, err := tx.Ticket(ctx, into)
		if err != nil {
			return nil, err
		}
		for _, t := range []*tickets.Ticket{dup, keep} {
			if !a.can(r.cmd, t) {
				return nil, a.refuse(r.cmd, t)
			}
		}
		switch {
		case dup.LinkedTo != 0:
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is already linked to #%d.", dup.Ref(), dup.LinkedTo)
		case keep.LinkedTo != 0:
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is itself linked to #%d; merge into that one.", keep.Ref(), keep.LinkedTo)
		case dup.Major:
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is a major incident; merge the other way round.", dup.Ref())
		}
		now := b.now()
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: dup.ID, At: now, Actor: actorKey, Kind: tickets.EventMerged, After: fmt.Sprint(keep.ID)}); err != nil {
			return nil, err
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: keep.ID, At: now, Actor: actorKey, Kind: tickets.EventLinked, After: fmt.Sprint(dup.ID),
			Text: fmt.Sprintf("%s (%s, from %s) merged into this ticket", dup.Ref(), dup.Summary, dup.Requester.Display())}); err != nil {
			return nil, err
		}
		if dup.Status.Active() {
			if err := b.setStatus(ctx, tx, dup, tickets.StatusClosed, actorKey); err != nil {
				return nil, err
			}
		}
		dup.LinkedTo, dup.Resolution, dup.UpdatedAt = keep.ID, "Merged into "+keep.Ref(), now
		if err := b.save(ctx, tx, dup); err != nil {
			return nil, err
		}
		// Tickets merged into dup earlier follow it to keep, so their
		// requesters keep getting updates.
		err = tickets.EachTicket(ctx, tx, tickets.TicketFilter{LinkedTo: dup.ID}, func(ch *tickets.Ticket) error {
			ch.LinkedTo, ch.UpdatedAt = keep.ID, now
			return b.save(ctx, tx, ch)
		})
		if err != nil {
			return nil, err
		}
		// keep's summary is its requester's words: dup's requester hears
		// only its number, unless keep is theirs too.
		tell := fmt.Sprintf("Your ticket %s is the same problem as %s, which the team is already working on, so the two are now one. You'll hear here how %s goes; nothing you told us is lost.", dup.Ref(), keep.Ref(), keep.Ref())
		if dup.Requester.Key() == keep.Requester.Key() {
			tell = fmt.Sprintf("Your tickets %s and %s (%s) are about the same problem, so %s is now part of %s; nothing you told us is lost. Follow it with /status %d.", dup.Ref(), keep.Ref(), keep.Summary, dup.Ref(), keep.Ref(), keep.ID)
		}
		if _, err := b.tellRequester(ctx, tx, dup, "merged", tell); err != nil {
			return nil, err
		}
		if err := b.updateCard(ctx, tx, dup, "merged", fmt.Sprintf("%s merged %s into %s.", a.Agent.Name, dup.Ref(), keep.Ref()), true); err != nil {
			return nil, err
		}
		news := fmt.Sprintf("%s merged %s (%s) into this ticket; its requester hears of this ticket's state, not the replies to its requester.", a.Agent.Name, dup.Ref(), dup.Requester.Display())
		if err := b.updateCard(ctx, tx, keep, fmt.Sprintf("merged-%d", dup.ID), news, false); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, keep, a, fmt.Sprintf("merged-%d", dup.ID), news); err != nil {
			return nil, err
		}
		if dup.Requester.Key() == keep.Requester.Key() {
			return []chat.Reply{{Text: fmt.Sprintf("%s is merged into %s and closed; its history is kept. Both are %s's; they were told, and everything you write on %s reaches them.",
				dup.Ref(), keep.Ref(), keep.Requester.Display(), keep.Ref())}}, nil
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is merged into %s and closed; its history is kept. %s will hear how %s goes (claimed, waiting, resolved), not the replies you write to %s; to write to them, /reply %d.",
			dup.Ref(), keep.Ref(), dup.Requester.Display(), keep.Ref(), keep.Requester.Display(), dup.ID)}}, nil
	})
}
