package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// findDuplicate returns the sender's open ticket that this report most
// likely repeats; ok is false when there is none. Matching: a request repeats an open request of
// the same catalog type; an incident repeats an open incident that shares
// the category and at least one content word, or half its content words.
func (b *Bot) findDuplicate(ctx context.Context, tx tickets.Tx, who tickets.Person, s *intakeState) (dup *tickets.Ticket, ok bool, err error) {
	open, err := tx.FindTickets(ctx, tickets.TicketFilter{
		Requester: who.Key(),
		Statuses:  []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated},
		Limit:     20,
	})
	if err != nil {
		return nil, false, fmt.Errorf("find duplicates: %w", err)
	}
	since := b.now().Add(-b.conf().DuplicateWindow)
	words := extract.ContentWords(s.Fields[tickets.FieldSymptom] + " " + s.Fields[tickets.FieldError] + " " + s.Fields[tickets.FieldDevice] + " " + s.Fields[tickets.FieldApp])
	for _, t := range open {
		if t.CreatedAt.Before(since) || t.Kind != s.Kind || slices.Contains(s.Siblings, t.ID) {
			continue
		}
		if s.Kind == tickets.KindRequest {
			if t.RequestType == s.Request {
				return t, true, nil
			}
			continue
		}
		theirs := extract.ContentWords(t.Summary + " " + t.Fields[tickets.FieldError] + " " + t.Fields[tickets.FieldDevice] + " " + t.Fields[tickets.FieldApp])
		shared := 0
		for w := range words {
			if theirs[w] {
				shared++
			}
		}
		sameCategory := s.Category != "" && s.Category != tickets.CategoryOther && s.Category == t.Category
		if (sameCategory && shared >= 1) || (len(words) > 0 && 2*shared >= len(words)) {
			return t, true, nil
		}
	}
	return nil, false, nil
}

// linkDuplicate adds the report to the open ticket instead of opening a new
// one, and tells the person how to open a separate ticket after all.
// answering says the message is the person's answer to the desk (the
// ticket waits on them, or an agent's reply is its last word), not a
// report that looks like the ticket's.
func (b *Bot) linkDuplicate(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState, t *tickets.Ticket, answering bool) ([]chat.Reply, bool, error) {
	now := b.now()
	text := strings.Join(s.Messages, "\n")
	ev := &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventComment, Text: text}
	if err := tx.AddEvent(ctx, ev); err != nil {
		return nil, false, err
	}
	back := t.Status == tickets.StatusPending
	if back {
		// The requester answered: the ticket is back with the desk.
		if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, m.User.Key()); err != nil {
			return nil, false, err
		}
	}
	t.UpdatedAt = now
	if err := b.save(ctx, tx, t); err != nil {
		return nil, false, err
	}
	news := fmt.Sprintf("%s added to ticket %s (%s):\n%s", m.User.Display(), t.Ref(), t.Summary, quoteLines(text))
	if err := b.updateCard(ctx, tx, t, "comment", news, back); err != nil {
		return nil, false, err
	}
	s.DupOf, s.DupEvent, s.LinkedAt, s.Answering = t.ID, ev.ID, now, answering
	s.Stage = stageDuplicate
	return []chat.Reply{{Text: b.render("duplicate", map[string]any{"Ticket": t, "Answered": answering || back, "Back": back})}}, false, nil
}

// movedField marks the linked event that records a message moved to
// another ticket.
const movedField = "moved"

// sortedNote adds "it works now, thanks", said just after ticket t
// opened, to the ticket, so the team does not work a problem that went
// away; the person is thanked and told so.
func (b *Bot) sortedNote(ctx context.Context, tx tickets.Tx, m chat.Message, t *tickets.Ticket) ([]chat.Reply, bool, error) {
	now := b.now()
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventComment, Text: m.Text}); err != nil {
		return nil, false, err
	}
	t.UpdatedAt = now
	if err := b.save(ctx, tx, t); err != nil {
		return nil, false, err
	}
	news := fmt.Sprintf("%s says it works now, on ticket %s (%s):\n%s", m.User.Display(), t.Ref(), t.Summary, quoteLines(m.Text))
	if err := b.updateCard(ctx, tx, t, "comment", news, false); err != nil {
		return nil, false, err
	}
	return []chat.Reply{{Text: b.render("sorted", map[string]any{"Ticket": t})}}, true, nil
}

// unlinkDuplicate moves the message intake added to ticket s.DupOf over
// to t, the separate ticket the person asked for with "new", so it is read
// with the problem it describes; the other ticket's history and card say
// where it went.
func (b *Bot) unlinkDuplicate(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState, t *tickets.Ticket) error {
	if s.DupEvent == 0 {
		return nil
	}
	if err := tx.MoveEvent(ctx, s.DupEvent, t.ID); err != nil {
		return fmt.Errorf("move the message to %s: %w", t.Ref(), err)
	}
	old, err := tx.Ticket(ctx, s.DupOf)
	if err != nil {
		return err
	}
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: old.ID, At: b.now(), Actor: m.User.Key(), Kind: tickets.EventLinked, Field: movedField, After: fmt.Sprint(t.ID),
		Text: fmt.Sprintf("said the message added here is another problem: moved to %s", t.Ref())}); err != nil {
		return err
	}
	s.DupEvent = 0
	return b.updateCard(ctx, tx, old, "moved", fmt.Sprintf("%s says the message added to %s is a different problem: moved to the new ticket %s.", m.User.Display(), old.Ref(), t.Ref()), false)
}

// quoteLines prefixes each line of s with "> " so relayed text reads as quoted.
func quoteLines(s string) string {
	return "> " + strings.ReplaceAll(s, "\n", "\n> ")
}
