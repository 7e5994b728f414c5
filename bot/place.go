package bot

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// InConversation reports whether user has business with the desk in place:
// a report going on there, or an open ticket reported from there. An
// adapter asks it for a reply in a thread it does not otherwise follow (a
// thread a mention started before a restart), instead of keeping its own
// list that a restart would lose. A store error counts as no.
func (b *Bot) InConversation(ctx context.Context, place tickets.Place, user tickets.Person) bool {
	if _, err := b.store.Conversation(ctx, conversationKey(place, user)); err == nil {
		return true
	}
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{Requester: user.Key(), Statuses: activeStatuses, Limit: 50})
	if err != nil {
		return false
	}
	for _, t := range ts {
		if t.Origin == place {
			return true
		}
	}
	return false
}
