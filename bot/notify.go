package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
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
// problem. What an agent writes to a requester is written to that one
// person: the requesters of reports linked to t (merged into it, or of its
// major incident) hear a neutral line about t's state instead (linkedNews).
// It returns who heard what, for the agent.
func (b *Bot) tellRequester(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string) (heard, error) {
	return b.tell(ctx, tx, t, kind, text, func(l *tickets.Ticket) (string, bool) { return b.linkedNews(t, l, kind), false })
}

// tellAffected queues a major incident's public update to everyone it
// affects: its requester and every linked reporter, the same text.
func (b *Bot) tellAffected(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string) (heard, error) {
	return b.tell(ctx, tx, t, kind, text, func(l *tickets.Ticket) (string, bool) {
		return fmt.Sprintf("(About your report %s, linked to %s.)\n%s", l.Ref(), t.Ref(), text), true
	})
}

// heard is who a change reached: t's requester with the text, and the
// linked reporters with the text itself or only a neutral line.
type heard struct {
	requester     string
	same, neutral []string // "Cy (#3)"
	neutralIDs    []int64  // the tickets of those told only a neutral line
	skipped       int      // linked reporters told nothing (a reply on a major incident)
	major         int64    // the major incident's number, when t is one
}

// count is how many people heard.
func (h heard) count() int { return 1 + len(h.same) + len(h.neutral) }

// forAgent tells the agent who was sent what and, when linked reporters
// did not get the text, how to reach them: /update for a major incident's,
// /reply on their own ticket for merged ones.
func (h heard) forAgent() string {
	if h.major != 0 {
		n := len(h.neutral) + h.skipped
		switch {
		case n == 0:
			return ""
		case len(h.neutral) == 0:
			return fmt.Sprintf(" The %d %s linked to this major incident did not get it; /update %d TEXT tells everyone affected.", n, plural(n, "reporter", "reporters"), h.major)
		}
		return fmt.Sprintf(" The %d %s linked to this major incident %s told only that it changed, not your text; /update %d TEXT tells everyone affected.", n, plural(n, "reporter", "reporters"), plural(n, "was", "were"), h.major)
	}
	if len(h.neutral) == 0 {
		return ""
	}
	cmds := make([]string, len(h.neutralIDs))
	for i, id := range h.neutralIDs {
		cmds[i] = fmt.Sprintf("/reply %d", id)
	}
	return fmt.Sprintf(" %s %s told only that there is news on it, not your text; to write to them too: %s TEXT.",
		listAnd(h.neutral), plural(len(h.neutral), "was", "were"), strings.Join(cmds, " TEXT, "))
}

// listAnd joins names: "a", "a and b", "a, b and c".
func listAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// tell queues text to t's requester, and to the requester of every ticket
// linked to t what linked says (and whether that is the text itself),
// once per person, paging through all of them: a storm's thousands of
// reporters each hear it. Keys carry the ticket's latest event, so each
// change is sent once however often the transaction is retried.
func (b *Bot) tell(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, kind, text string, linked func(l *tickets.Ticket) (string, bool)) (heard, error) {
	h := heard{requester: t.Requester.Display()}
	if t.Major {
		h.major = t.ID
	}
	last, err := tx.LastEventID(ctx, t.ID)
	if err != nil {
		return h, err
	}
	key := fmt.Sprintf("ticket:%d:%s:%d:requester", t.ID, kind, last)
	if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key, To: t.Origin, UserID: t.Requester.UserID, TicketID: t.ID, Text: text}); err != nil {
		return h, err
	}
	told := map[string]bool{t.Requester.Key(): true}
	err = tickets.EachTicket(ctx, tx, tickets.TicketFilter{LinkedTo: t.ID}, func(l *tickets.Ticket) error {
		if told[l.Requester.Key()] {
			return nil
		}
		told[l.Requester.Key()] = true
		msg, same := linked(l)
		if msg == "" {
			h.skipped++
			return nil
		}
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{
			Key: fmt.Sprintf("%s:%d", key, l.ID), To: l.Origin, UserID: l.Requester.UserID, TicketID: l.ID, Text: msg,
		}); err != nil {
			return err
		}
		who := fmt.Sprintf("%s (%s)", l.Requester.Display(), l.Ref())
		if same {
			h.same = append(h.same, who)
		} else {
			h.neutral, h.neutralIDs = append(h.neutral, who), append(h.neutralIDs, l.ID)
		}
		return nil
	})
	return h, err
}

// linkedNews is what the requester of report l, linked to t, hears of a
// change of kind on t: t's state in a neutral line, nothing written to
// someone else and not t's summary, which is another person's words. The
// reporters of a major incident hear of its state but not of replies to
// its requester ("" for none): their news is its /update.
func (b *Bot) linkedNews(t, l *tickets.Ticket, kind string) string {
	about := fmt.Sprintf("%s, which your report %s was joined to,", t.Ref(), l.Ref())
	if t.Major && (kind == chat.ActionReply || kind == chat.ActionPending) {
		return ""
	}
	if t.Major {
		about = fmt.Sprintf("The %s, which your report %s is linked to,", majorName(t), l.Ref())
	}
	switch kind {
	case chat.ActionClaim:
		return fmt.Sprintf("%s is now being worked on by %s.", about, orTeam(b.agentName(t.Assignee)))
	case chat.ActionReply:
		return about + " has news: the team wrote to the person who reported it. It is still being worked on, and you'll hear here when that changes."
	case chat.ActionPending:
		return about + " is waiting on information from the person who reported it."
	case chat.ActionResolve:
		return about + fmt.Sprintf(" is resolved. If your problem is not fixed, type /reopen %d and tell me what's still wrong.", l.ID)
	case "escalated":
		return about + " has gone to a specialist team; you'll hear here when that changes."
	}
	return fmt.Sprintf("%s is %s.", about, t.Status)
}

// majorName names a major incident to the people it affects: by its
// number and service, never by its summary (its reporter's words).
func majorName(t *tickets.Ticket) string {
	if svc := strings.TrimSpace(t.Fields["service"]); svc != "" {
		return fmt.Sprintf("major incident %s (%s)", t.Ref(), svc)
	}
	return "major incident " + t.Ref()
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
	last, err := tx.LastEventID(ctx, t.ID)
	if err != nil {
		return err
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{
		Key:      fmt.Sprintf("ticket:%d:%s:%d:owner", t.ID, kind, last),
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
