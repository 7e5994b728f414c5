package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Who hears of a change: everything the desk tells someone other than the
// sender goes through the outbox, written in the transaction of the change
// that caused it (enqueue), with a key that names the change so a retried
// transaction or a redelivered event queues it once.

// enqueue writes an outbox message in the caller's transaction; a message
// with the same key already queued is not queued again.
func (b *Bot) enqueue(ctx context.Context, tx tickets.Tx, msg *tickets.OutboxMessage) error {
	msg.Created = b.now()
	msg.NextAttempt = msg.Created
	msg.Text = b.localize(msg.To.Platform, msg.Text)
	if _, err := tx.Enqueue(ctx, msg); err != nil {
		return fmt.Errorf("enqueue %s: %w", msg.Key, err)
	}
	return nil
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

// tellAgent sends an agent (by Person key) a direct message.
func (b *Bot) tellAgent(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, agentKey, key, text string) error {
	platform, user, ok := strings.Cut(agentKey, ":")
	if !ok {
		return nil
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key, To: tickets.Place{Platform: platform}, UserID: user, TicketID: t.ID, Text: text})
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
