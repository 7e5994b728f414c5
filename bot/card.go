package bot

import (
	"context"
	"fmt"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A ticket's card is its message in the triage channel: posted when the
// ticket opens, edited in place as it changes, with the ticket's history
// with the desk threaded under it. The outbox names the card by its key so
// edits and thread posts wait for it and find it after a restart.

// cardKey is the outbox key of ticket id's triage card.
func cardKey(id int64) string { return fmt.Sprintf("ticket:%d:created:triage", id) }

// cardButtons are the actions the card offers for t's state.
func cardButtons(t *tickets.Ticket) []tickets.Button {
	id := fmt.Sprint(t.ID)
	if !t.Status.Active() {
		return []tickets.Button{{Label: "Reopen", Action: chat.ActionReopen, Value: id}}
	}
	var bs []tickets.Button
	if t.Assignee == "" {
		bs = append(bs, tickets.Button{Label: "Claim", Action: chat.ActionClaim, Value: id})
	}
	bs = append(bs,
		tickets.Button{Label: "Reply", Action: chat.ActionReply, Value: id},
		tickets.Button{Label: "Note", Action: chat.ActionNote, Value: id},
	)
	if t.Status != tickets.StatusPending {
		bs = append(bs, tickets.Button{Label: "Pending", Action: chat.ActionPending, Value: id})
	}
	if t.Tier < 3 {
		bs = append(bs, tickets.Button{Label: "Escalate", Action: chat.ActionEscalate, Value: id})
	}
	return append(bs, tickets.Button{Label: "Resolve", Action: chat.ActionResolve, Value: id})
}

// postCard queues the card of a new ticket.
func (b *Bot) postCard(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{
		Key: cardKey(t.ID), To: b.conf().Triage, TicketID: t.ID,
		Text: b.render("triage_new", b.ticketView(t)), Buttons: cardButtons(t),
	})
}

// updateCard records a change to t on its card: a post in the card's thread
// saying what happened (when news is not ""), then, when restyle is true
// (what the card shows changed), the card edited to t's new state. Keys
// carry the ticket's latest event, so each change is queued once however
// often the transaction runs.
func (b *Bot) updateCard(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, news string, restyle bool) error {
	last, err := tx.LastEventID(ctx, t.ID)
	if err != nil {
		return err
	}
	if news != "" {
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{
			Key: fmt.Sprintf("ticket:%d:%s:%d:thread", t.ID, kind, last), To: b.conf().Triage,
			Thread: cardKey(t.ID), TicketID: t.ID, Text: news,
		}); err != nil {
			return err
		}
	}
	if !restyle {
		return nil
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{
		Key: fmt.Sprintf("ticket:%d:card:%d", t.ID, last), To: b.conf().Triage,
		Edit: cardKey(t.ID), TicketID: t.ID,
		Text: b.render("triage_new", b.ticketView(t)), Buttons: cardButtons(t),
	})
}
