package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// tellOwner keeps a ticket's tier-1 owner informed: once a ticket has been
// escalated, every change someone else makes is sent to the owner directly,
// so they can keep the requester informed.
func (b *Bot) tellOwner(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, by actor, kind, news string) error {
	if t.Owner == "" || t.Owner == by.Person.Key() || news == "" {
		return nil
	}
	platform, user, ok := strings.Cut(t.Owner, ":")
	if !ok {
		return nil
	}
	evs, err := tx.Events(ctx, t.ID)
	if err != nil {
		return err
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{
		Key:      fmt.Sprintf("ticket:%d:%s:%d:owner", t.ID, kind, len(evs)),
		To:       tickets.Place{Platform: platform},
		UserID:   user,
		TicketID: t.ID,
		Text:     fmt.Sprintf("On your escalated ticket %s (%s): %s", t.Ref(), t.Summary, news),
	})
}

// flagWarning is the line agents see on a flagged ticket before they
// change anything about the account it concerns.
func flagWarning(t *tickets.Ticket) string {
	var lines []string
	if t.HasFlag(tickets.FlagIdentity) {
		lines = append(lines, "⚠ Identity verification required: this request is about someone else's account. Verify who is asking and their authority (call back on a known number, or confirm with the account holder) before changing anything.")
	}
	if t.HasFlag(tickets.FlagSocialEngineering) {
		lines = append(lines, "⚠ Social-engineering cues in this report (pressure, claimed authority or a request to skip verification). Follow the verification procedure regardless of urgency.")
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n")
}
