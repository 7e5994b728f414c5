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

// intake advances the report conversation of the sender by one message.
func (b *Bot) intake(ctx context.Context, m chat.Message, secret bool) ([]chat.Reply, error) {
	if b.llm.reranker != nil || b.llm.extractor != nil {
		return b.intakeWithModels(ctx, m, secret)
	}
	return b.intakeTx(ctx, m, secret)
}

// intakeTx runs one intake step in the store's transaction.
func (b *Bot) intakeTx(ctx context.Context, m chat.Message, secret bool) ([]chat.Reply, error) {
	key := conversationKey(m.Place(), m.User)
	rehearsal := rehearsing(ctx)
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		s := newIntake()
		conv, err := tx.Conversation(ctx, key)
		switch {
		case err == nil:
			if s, err = loadIntake(conv); err != nil {
				return nil, err
			}
		case !isNotFound(err):
			return nil, err
		}
		s.Secret = s.Secret || secret

		replies, done, err := b.step(ctx, tx, m, s)
		if err != nil {
			return nil, err
		}
		if rehearsal {
			return nil, errRehearsal
		}
		if done {
			return replies, tx.DeleteConversation(ctx, key)
		}
		return replies, tx.SaveConversation(ctx, &tickets.Conversation{Key: key, State: s.encode(), UpdatedAt: b.now()})
	})
}

// step applies one message to the state. done means the conversation is
// over (ticket opened, self-served or cancelled) and its state can go.
func (b *Bot) step(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) (replies []chat.Reply, done bool, err error) {
	answer := extract.NormalizeAnswer(m.Text)
	switch answer {
	case "cancel", "stop", "cancel this", "never mind", "nevermind", "forget it":
		if s.Stage == stageDescribe && len(s.Messages) == 0 {
			return []chat.Reply{{Text: "There's no report in progress. Describe a problem whenever you need help."}}, true, nil
		}
		return []chat.Reply{{Text: "Cancelled — nothing was filed. Describe a problem whenever you need help."}}, true, nil
	case "start over", "restart", "start again", "reset":
		*s = *newIntake()
		return []chat.Reply{{Text: "OK, let's start over. What's going wrong?"}}, false, nil
	}

	switch s.Stage {
	case stageKB:
		yes, no, n := extract.ParseYesNo(m.Text)
		switch {
		case yes:
			return b.selfServed(ctx, tx, m, s, n)
		case no:
			b.articlesTried(s)
			return b.advance(ctx, tx, m, s)
		}
		if notes := b.absorb(ctx, s, m.Text, ""); len(notes) > 0 {
			s.keep(m.Text)
			return []chat.Reply{{Text: strings.Join(notes, "\n") + "\n\nDid one of those articles fix it? Reply \"yes\" or \"no\"."}}, false, nil
		}
		return []chat.Reply{{Text: "Did one of the articles above fix it? Reply \"yes\" (or its number) if it did, or \"no\" and I'll open a ticket.", Buttons: kbButtons()}}, false, nil

	case stageDuplicate:
		if answer == "new" || answer == "new ticket" || answer == "open a new ticket" {
			s.Stage = stageAsk
			return b.advance(ctx, tx, m, s)
		}
		// Anything else is a new message: start afresh, which adds it to the
		// open ticket again if it still matches.
		*s = *newIntake()
	}

	if s.Stage == stageAsk && s.Asking != "" {
		return b.answer(ctx, tx, m, s)
	}
	return b.describe(ctx, tx, m, s)
}

// describe handles a message that starts (or restarts) a report.
func (b *Bot) describe(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) ([]chat.Reply, bool, error) {
	if extract.IsGreeting(m.Text) {
		return []chat.Reply{{Text: b.render("greeting", map[string]any{"Name": m.User.Display()})}}, true, nil
	}
	if !extract.HasWords(m.Text) {
		return []chat.Reply{{Text: "I couldn't find a description of a problem in that. What's going wrong? A sentence or two is enough, for example: \"my laptop can't connect to the VPN since this morning\"."}}, s.Stage == stageDescribe && len(s.Messages) == 0, nil
	}
	if len(s.Messages) == 0 {
		// A requester whose ticket waits on them is most likely answering
		// the agent: the message goes to that ticket, not a new report.
		pending, err := tx.FindTickets(ctx, tickets.TicketFilter{Requester: m.User.Key(), Statuses: []tickets.Status{tickets.StatusPending}, Limit: 1})
		if err != nil {
			return nil, false, err
		}
		if len(pending) == 1 {
			s.keep(m.Text)
			s.DupDone = true
			return b.linkDuplicate(ctx, tx, m, s, pending[0])
		}
	}
	if rt, item, ok := b.matchRequest(m.Text); ok {
		s.Kind, s.Request, s.Category = tickets.KindRequest, rt.Name, rt.Category
		if item != "" && len(rt.Fields) > 0 {
			s.Fields[rt.Fields[0].Name] = item
		}
		s.keep(m.Text)
		s.Stage = stageAsk
		replies, done, err := b.advance(ctx, tx, m, s)
		intro := chat.Reply{Text: fmt.Sprintf("That sounds like a service request: %s. I'll ask a few questions so the team can fulfil it.", rt.Title)}
		return append([]chat.Reply{intro}, replies...), done, err
	}
	b.absorb(ctx, s, m.Text, "")
	b.suggestFields(ctx, s, m.Text)
	if s.Fields[tickets.FieldSymptom] == "" {
		// Anything said counts as the description once the person has been
		// asked for it; only bare greetings were turned away above.
		s.Fields[tickets.FieldSymptom] = extract.Summarize(m.Text)
	}
	s.keep(m.Text)
	s.Stage = stageAsk
	return b.advance(ctx, tx, m, s)
}

// answer applies a reply to the question being asked.
func (b *Bot) answer(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) ([]chat.Reply, bool, error) {
	q, _ := b.questionFor(s, s.Asking)
	if !extract.HasWords(m.Text) {
		return []chat.Reply{{Text: "Sorry, I couldn't read that. " + q.text}}, false, nil
	}
	s.keep(m.Text)
	if extract.IsSkip(m.Text) && q.field != tickets.FieldSteps {
		if !q.optional {
			return []chat.Reply{{Text: "I need this one to get your request done. " + q.text}}, false, nil
		}
		s.Skipped = append(s.Skipped, q.field)
		s.Asking = ""
		return b.advance(ctx, tx, m, s)
	}
	if s.Kind == tickets.KindRequest {
		// Request answers are taken as they are: "my laptop screen is too
		// small" explains a monitor request, it doesn't report a laptop.
		s.Fields[q.field] = strings.TrimSpace(m.Text)
		s.Asking = ""
		return b.advance(ctx, tx, m, s)
	}
	ex := b.extract(ctx, m.Text)
	var notes []string
	if ex.Correction && !extractionHas(ex, q.field) {
		// "actually it started yesterday" while being asked something else
		// corrects that field and asks the same question again.
		notes = b.absorb(ctx, s, m.Text, "")
		return []chat.Reply{{Text: strings.Join(append(notes, q.text), "\n")}}, false, nil
	}
	if msg, ok := b.setAnswer(s, q, m.Text, ex); !ok {
		return []chat.Reply{{Text: msg}}, false, nil
	}
	notes = b.absorb(ctx, s, m.Text, q.field)
	s.Asking = ""
	replies, done, err := b.advance(ctx, tx, m, s)
	if len(notes) > 0 {
		replies = append([]chat.Reply{{Text: strings.Join(notes, "\n")}}, replies...)
	}
	return replies, done, err
}

// advance moves the report on: duplicate check, KB offer, the next
// question, and finally the ticket.
func (b *Bot) advance(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) ([]chat.Reply, bool, error) {
	s.Stage = stageAsk
	if s.Kind == tickets.KindIncident && s.Fields[tickets.FieldSymptom] == "" {
		return b.ask(s, incidentQuestions[0]), false, nil
	}
	if !s.DupDone {
		s.DupDone = true
		dup, found, err := b.findDuplicate(ctx, tx, m.User, s)
		if err != nil {
			return nil, false, err
		}
		if found {
			return b.linkDuplicate(ctx, tx, m, s, dup)
		}
		if s.Kind == tickets.KindIncident {
			major, found, err := b.matchMajor(ctx, tx, s)
			if err != nil {
				return nil, false, err
			}
			if found {
				r, err := b.linkToMajor(ctx, tx, m, s, major)
				return r, err == nil, err
			}
		}
	}
	// A request about someone else's account is never self-served: an
	// agent must verify who is asking first.
	thirdParty := slices.Contains(extract.SecurityFlags(strings.Join(s.Messages, "\n")), tickets.FlagIdentity)
	if s.Kind == tickets.KindIncident && !s.KBDone && !thirdParty {
		s.KBDone = true
		if r, ok := b.offerArticles(ctx, s); ok {
			b.countOffered(ctx, tx, s.Offered...)
			return []chat.Reply{r}, false, nil
		}
	}
	if s.Category == "" && len(s.Offered) > 0 {
		if a, ok := b.kb.Article(s.Offered[0]); ok {
			if c, ok := tickets.ParseCategory(a.Category); ok {
				s.Category = c
			}
		}
	}
	if q, ok := b.nextQuestion(s); ok {
		return b.ask(s, q), false, nil
	}
	r, err := b.openTicket(ctx, tx, m, s)
	return r, err == nil, err
}

func (b *Bot) ask(s *intakeState, q question) []chat.Reply {
	s.Asking = q.field
	return []chat.Reply{{Text: q.text}}
}

// questionFor finds the question for a field of the current report.
func (b *Bot) questionFor(s *intakeState, field string) (question, bool) {
	if s.Kind == tickets.KindRequest {
		if rt, ok := b.requestType(s.Request); ok {
			for _, f := range rt.Fields {
				if f.Name == field {
					return question{field: f.Name, text: f.Question, optional: f.Optional}, true
				}
			}
		}
	}
	for _, q := range incidentQuestions {
		if q.field == field {
			return q, true
		}
	}
	return question{field: field, text: "Could you tell me more?", optional: true}, false
}
