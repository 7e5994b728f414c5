package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// maxTitle is the longest title /title takes, in characters: what fits on
// one line of the queue and the triage card.
const maxTitle = 120

// retitle is /title N text: an agent gives a ticket a title that names the
// problem when the one intake took from the first message does not. The
// change is an audit event, and the triage card shows the new title.
func (b *Bot) retitle(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	id, title, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	title = strings.Join(strings.Fields(title), " ") // one line
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		return nil, tickets.Errorf(tickets.EINVALID, "Give the new title after the ticket number. Usage: %s", r.cmd.usage())
	case n > maxTitle:
		return nil, tickets.Errorf(tickets.EINVALID, "That title is %d characters; keep it to %d, a line that names the problem (details go in a /note).", n, maxTitle)
	}
	actorKey := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		if !a.can(r.cmd, t) {
			return nil, a.refuse(r.cmd, t)
		}
		if t.Summary == title {
			return []chat.Reply{{Text: fmt.Sprintf("%s is already titled \"%s\".", t.Ref(), title)}}, nil
		}
		now := b.now()
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventField,
			Field: "title", Before: t.Summary, After: title}); err != nil {
			return nil, err
		}
		old := t.Summary
		t.Summary, t.UpdatedAt = title, now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		news := fmt.Sprintf("%s retitled %s: \"%s\" (was \"%s\")", a.Agent.Name, t.Ref(), title, old)
		if err := b.updateCard(ctx, tx, t, "retitled", news, true); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is now titled \"%s\".", t.Ref(), title)}}, nil
	})
}
