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

// turn is one inbound message as intake works on it: the message, what
// Extract found in its text, and what the models answered for it. All of
// it is worked out before the write transaction opens, which SQLite gives
// one writer at a time: regular-expression work and model calls inside it
// would hold every other conversation up.
type turn struct {
	msg    chat.Message
	ex     extract.Extraction // of msg.Text
	secret bool               // a secret was masked in msg.Text
	model  modelAnswers       // zero without a model, or when none was needed
	// kbButton marks a press of an offer's button: it answers the offer
	// only if the offer is still the question when the transaction reads
	// the conversation, so of two presses at once (two replicas, or a
	// double click) one is acted on and the other answers nothing.
	kbButton bool
	// fresh marks a report started with /new, or a problem kept aside
	// (intake_later.go): it is never an update to, or an answer on, a
	// ticket already open.
	fresh bool
	// secretBefore is whether the conversation held a masked secret
	// before this message.
	secretBefore bool
	// prev is where the conversation's last message was added, if it was
	// added to a ticket (see followLinked).
	prev *linked
}

// alreadyAnswered is the reply to an offer's button pressed when the offer
// is no longer the question.
const alreadyAnswered = "You've already answered that suggestion (or it was for someone else's report), so I've left it as it was. If something is wrong, just describe it to me."

// intake advances the report conversation of the sender by one message,
// in three steps: read the conversation and plan the model calls the
// message needs, make them (both with no transaction open; see
// intake_models.go), then apply the message to the conversation in one
// transaction.
func (b *Bot) intake(ctx context.Context, m chat.Message, secret bool) ([]chat.Reply, error) {
	return b.intakeTurn(ctx, &turn{msg: m, ex: extract.Extract(m.Text, b.deskNow()), secret: secret})
}

// intakeTurn is intake of a turn already read.
func (b *Bot) intakeTurn(ctx context.Context, t *turn) ([]chat.Reply, error) {
	m, secret := t.msg, t.secret
	if b.llm.enabled() {
		t.model = b.askModels(ctx, b.planModels(ctx, t))
	}
	key := conversationKey(m.Place(), m.User)
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		s, err := loadIntake(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		if t.kbButton && s.Stage != stageKB {
			return []chat.Reply{{Text: alreadyAnswered, Ephemeral: true}}, nil
		}
		t.secretBefore = s.Secret
		s.Secret = s.Secret || secret
		replies, done, err := b.step(ctx, tx, t, s)
		if err != nil {
			return nil, err
		}
		if laterPending(s, done) {
			next, more, err := b.takeUpLater(ctx, tx, m, s)
			if err != nil {
				return nil, err
			}
			replies = append(replies, more...)
			s, done = next, next == nil
			if done {
				return replies, tx.DeleteConversation(ctx, key)
			}
		}
		if done {
			return replies, tx.DeleteConversation(ctx, key)
		}
		return replies, tx.SaveConversation(ctx, &tickets.Conversation{Key: key, State: s.encode(), UpdatedAt: b.now()})
	})
}

// reading is what a message is to the conversation it arrives in.
type reading int

const (
	readReport    reading = iota // describes a problem: starts, or starts afresh, a report
	readAnswer                   // answers the question being asked
	readKBAnswer                 // answers the KB offer
	readNewTicket                // "new" after the report was added to an open ticket
	readCancel                   // drops the report
	readRestart                  // starts the report over
)

// readMessage tells what text is to the conversation in state s. Planning
// the model calls and applying the message both go by it.
func readMessage(s *intakeState, text string) reading {
	switch extract.NormalizeAnswer(text) {
	case "cancel", "stop", "cancel this", "never mind", "nevermind", "forget it":
		return readCancel
	case "start over", "restart", "start again", "reset":
		return readRestart
	case "new", "new ticket", "open a new ticket":
		if s.Stage == stageDuplicate {
			return readNewTicket
		}
	}
	switch {
	case s.Stage == stageKB:
		return readKBAnswer
	case s.Stage == stageAsk && (s.Asking != "" || len(s.Group) > 0):
		return readAnswer
	}
	// Anything else after a duplicate is a new message: the report starts
	// afresh, and is added to the open ticket again if it still matches.
	return readReport
}

// step applies one message to the state. done means the conversation is
// over (ticket opened, self-served or cancelled) and its state can go.
func (b *Bot) step(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) (replies []chat.Reply, done bool, err error) {
	switch readMessage(s, t.msg.Text) {
	case readCancel:
		if s.Stage == stageDuplicate && s.DupOf != 0 {
			// The message is on the ticket already, and the team may have
			// read it: say so rather than "nothing was filed".
			return []chat.Reply{{Text: fmt.Sprintf("Your last message stays on ticket #%d. If it was about a different problem, reply \"new\" and I'll move it to a ticket of its own.", s.DupOf)}}, false, nil
		}
		if s.Stage == stageDescribe && len(s.Messages) == 0 {
			if len(s.Later) > 0 {
				return []chat.Reply{{Text: "There's no report in progress, but a problem you mentioned is still waiting."}}, true, nil
			}
			return []chat.Reply{{Text: "There's no report in progress. Describe a problem whenever you need help."}}, true, nil
		}
		if len(s.Later) > 0 {
			return []chat.Reply{{Text: "Cancelled — nothing was filed for that one."}}, true, nil // the next is taken up
		}
		return []chat.Reply{{Text: "Cancelled — nothing was filed. Describe a problem whenever you need help."}}, true, nil
	case readRestart:
		later := s.Later
		*s = *newIntake()
		s.Later = later
		return []chat.Reply{{Text: "OK, let's start over. What's going wrong?"}}, false, nil
	case readKBAnswer:
		return b.kbAnswer(ctx, tx, t, s)
	case readNewTicket:
		s.Stage = stageAsk
		return b.advance(ctx, tx, t, s)
	case readAnswer:
		return b.answer(ctx, tx, t, s)
	}
	if s.Stage == stageDuplicate {
		if s.DupOf != 0 {
			t.prev = &linked{id: s.DupOf, since: s.LinkedAt, answering: s.Answering}
		}
		later := s.Later
		*s = *newIntake()
		s.Later = later
	}
	return b.describe(ctx, tx, t, s)
}

// describe handles a message that starts (or restarts) a report.
func (b *Bot) describe(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) ([]chat.Reply, bool, error) {
	m := t.msg
	if extract.IsGreeting(m.Text) {
		return []chat.Reply{{Text: b.render("greeting", map[string]any{"Name": m.User.Display()})}}, true, nil
	}
	if !extract.HasWords(m.Text) {
		return []chat.Reply{{Text: "I couldn't find a description of a problem in that. What's going wrong? A sentence or two is enough, for example: \"my laptop can't connect to the VPN since this morning\"."}}, s.Stage == stageDescribe && len(s.Messages) == 0, nil
	}
	if len(s.Messages) == 0 && !t.fresh {
		// A requester whose ticket waits on them is most likely answering
		// the agent: the message goes to that ticket, not a new report.
		pending, err := tx.FindTickets(ctx, tickets.TicketFilter{Requester: m.User.Key(), Statuses: []tickets.Status{tickets.StatusPending}, Limit: 5})
		if err != nil {
			return nil, false, err
		}
		// Of several, the one set waiting last asked the latest question.
		var asked *tickets.Ticket
		for _, p := range pending {
			if asked == nil || p.UpdatedAt.After(asked.UpdatedAt) {
				asked = p
			}
		}
		if asked != nil && !b.otherProblem(t, asked, true) {
			b.report(s, t) // read as a report all the same, for "new"
			s.DupDone = true
			return b.linkDuplicate(ctx, tx, m, s, asked, true)
		}
		here, err := activeHere(ctx, tx, m)
		if err != nil {
			return nil, false, err
		}
		// An agent's reply is the last word on a ticket reported here:
		// the reply said "just answer here", so this is the answer,
		// unless it is plainly about something else.
		if asked, ok, err := awaitingAnswer(ctx, tx, here, b.runSince(t)); err != nil {
			return nil, false, err
		} else if ok && !b.otherProblem(t, asked, true) {
			b.report(s, t) // read as a report all the same, for "new"
			s.DupDone = true
			return b.linkDuplicate(ctx, tx, m, s, asked, true)
		}
		// "thanks" starts no report. "ok it works now, thanks" just after a
		// ticket opened is news for the team, so it goes on the ticket.
		if extract.IsThanks(m.Text) {
			if extract.SaysSorted(m.Text) {
				if tk, ok, err := b.followed(ctx, tx, t); err != nil {
					return nil, false, err
				} else if ok {
					return b.sortedNote(ctx, tx, m, tk)
				}
				if open, ok := b.justOpened(here); ok {
					return b.sortedNote(ctx, tx, m, open)
				}
				// "ok, restarting now" … half an hour later "it works now":
				// the ticket they last answered an agent on.
				if tk, ok, err := b.lastAnswered(ctx, tx, here); err != nil {
					return nil, false, err
				} else if ok {
					return b.sortedNote(ctx, tx, m, tk)
				}
			}
			return []chat.Reply{{Text: b.render("thanks", nil)}}, true, nil
		}
		// The next message after one added to a ticket goes there too.
		if replies, ok, err := b.followLinked(ctx, tx, t, s); err != nil || ok {
			return replies, false, err
		}
		// "nope, still the same" or "any news?", naming nothing of its
		// own, after the person answered an agent: it is about that
		// ticket, not a new report with nothing in it.
		if !otherFacts(t.ex) && t.ex.Symptom == "" && t.ex.Category == "" && len(extract.ContentWords(m.Text)) <= 2 {
			if tk, ok, err := b.lastAnswered(ctx, tx, here); err != nil {
				return nil, false, err
			} else if ok {
				b.report(s, t) // read as a report all the same, for "new"
				s.DupDone = true
				return b.linkDuplicate(ctx, tx, m, s, tk, true)
			}
		}
		// Just after a ticket opened, the next message in the same place
		// adds to it ("he can't work either"): a new problem says so
		// with "new".
		if open, ok := b.justOpened(here); ok && !b.otherProblem(t, open, false) {
			b.report(s, t) // read as a report all the same, for "new"
			s.DupDone = true
			return b.linkDuplicate(ctx, tx, m, s, open, false)
		}
	}
	if rt, item, ok := b.matchRequest(m.Text); ok {
		b.request(s, t, rt, item)
		replies, done, err := b.advance(ctx, tx, t, s)
		intro := "That sounds like a service request: " + rt.Title + "."
		if rt.Name == "" {
			intro = "That sounds like a service request."
		}
		if !done {
			intro += " I'll ask what's still missing so the team can fulfil it."
		}
		return append([]chat.Reply{{Text: intro}}, replies...), done, err
	}
	b.report(s, t)
	return b.advance(ctx, tx, t, s)
}

// report takes the message of t as the description of an incident: what
// Extract found, what the model proposed for the rest, and the message
// itself as the symptom when nothing better was found.
func (b *Bot) report(s *intakeState, t *turn) {
	b.absorb(s, t.ex, "")
	b.fillSuggested(s, t)
	if s.Fields[tickets.FieldSymptom] == "" {
		// Anything said counts as the description once the person has been
		// asked for it; only bare greetings were turned away above.
		s.Fields[tickets.FieldSymptom] = extract.Summarize(t.msg.Text)
	}
	s.keep(t.msg.Text)
	s.Stage = stageAsk
}

// request takes the message of t as a service request of type rt (zero
// for one the catalog has no form for): what it already says fills the
// catalog's fields, and the device, app, steps and urgency go with it.
func (b *Bot) request(s *intakeState, t *turn, rt RequestType, item string) {
	s.Kind, s.Request, s.Category = tickets.KindRequest, rt.Name, rt.Category
	b.absorb(s, t.ex, "")
	said := extract.RequestFields(t.msg.Text, t.ex)
	for i, f := range rt.Fields {
		switch v := said[f.Name]; {
		case v != "":
			s.Fields[f.Name] = v
		case i == 0 && item != "":
			s.Fields[f.Name] = item
		case f.Name == "item" && t.ex.Device != "":
			s.Fields[f.Name] = t.ex.Device
		}
	}
	if s.Fields[tickets.FieldSymptom] == "" {
		s.Fields[tickets.FieldSymptom] = extract.Summarize(t.msg.Text)
	}
	s.keep(t.msg.Text)
	s.Stage = stageAsk
}

// answer applies a reply to the question being asked.
func (b *Bot) answer(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) ([]chat.Reply, bool, error) {
	m := t.msg
	if len(s.Group) > 0 {
		if !extract.HasWords(m.Text) {
			return []chat.Reply{{Text: "Sorry, I couldn't read that. Answer what you know in one message, or say \"skip\"."}}, false, nil
		}
		if separateProblem(s, t, answersGroup(s, t)) {
			return b.keepForLater(s, t, groupText(s)), false, nil
		}
		notes := b.answerGroup(t, s)
		replies, done, err := b.advance(ctx, tx, t, s)
		if len(notes) > 0 {
			replies = append([]chat.Reply{{Text: strings.Join(notes, "\n")}}, replies...)
		}
		return replies, done, err
	}
	q, _ := b.questionFor(s, s.Asking)
	if !extract.HasWords(m.Text) {
		return []chat.Reply{{Text: "Sorry, I couldn't read that. " + q.text}}, false, nil
	}
	if separateProblem(s, t, true) {
		return b.keepForLater(s, t, q.text), false, nil
	}
	kept := s.keep(m.Text)
	if extract.IsSkip(m.Text) && q.field != tickets.FieldSteps {
		if !q.optional {
			need := "I need this one to open your ticket. "
			if s.Kind == tickets.KindRequest {
				need = "I need this one to get your request done. "
			}
			return []chat.Reply{{Text: need + q.text}}, false, nil
		}
		s.Skipped = append(s.Skipped, q.field)
		s.Asking = ""
		return b.advance(ctx, tx, t, s)
	}
	if s.Kind == tickets.KindRequest {
		// Request answers are taken as they are: "my laptop screen is too
		// small" explains a monitor request, it doesn't report a laptop.
		s.Fields[q.field] = strings.TrimSpace(m.Text)
		s.Asking = ""
		return b.advance(ctx, tx, t, s)
	}
	if t.ex.Correction && !extractionHas(t.ex, q.field) {
		// "actually it started yesterday" while being asked something else
		// corrects that field and asks the same question again.
		notes := b.absorb(s, t.ex, "")
		return []chat.Reply{{Text: strings.Join(append(notes, q.text), "\n")}}, false, nil
	}
	if msg, ok := b.setAnswer(s, q, m.Text, t.ex); !ok {
		if separateProblem(s, t, false) {
			if kept {
				s.Messages = s.Messages[:len(s.Messages)-1] // for the other report, not this one
			}
			return b.keepForLater(s, t, q.text), false, nil
		}
		impact, urgency := s.Impact, s.Urgency
		otherLevels(s, q.field, m.Text)
		if otherFacts(t.ex) || s.Impact != impact || s.Urgency != urgency {
			// "just me, can't work" to "which category?" answers other
			// questions: keep what it says, then ask this one again.
			notes := b.absorb(s, t.ex, "")
			return []chat.Reply{{Text: strings.Join(append(notes, "Thanks, noted. "+q.text), "\n")}}, false, nil
		}
		return []chat.Reply{{Text: msg}}, false, nil
	}
	notes := b.absorb(s, t.ex, q.field)
	otherLevels(s, q.field, m.Text)
	s.Asking = ""
	replies, done, err := b.advance(ctx, tx, t, s)
	if len(notes) > 0 {
		replies = append([]chat.Reply{{Text: strings.Join(notes, "\n")}}, replies...)
	}
	return replies, done, err
}

// advance moves the report on: duplicate check, KB offer, the next
// question, and finally the ticket.
func (b *Bot) advance(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) ([]chat.Reply, bool, error) {
	m := t.msg
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
			return b.linkDuplicate(ctx, tx, m, s, dup, false)
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
	if s.offersArticles() {
		if r, ok := b.offerArticles(ctx, tx, s, t.model.order); ok {
			return r, false, nil
		}
	}
	qs := b.openQuestions(s)
	if s.Kind == tickets.KindIncident {
		if g := groupable(s, qs); len(g) >= 2 {
			return b.askGroup(s, g), false, nil
		}
	}
	if len(qs) > 0 {
		return b.ask(s, qs[0]), false, nil
	}
	r, err := b.openTicket(ctx, tx, m, s)
	return r, err == nil, err
}

// offersArticles reports whether the report in s is at its KB offer: an
// incident whose articles have not been looked for yet. A request about
// someone else's account is never self-served: an agent must verify who
// is asking first. Nor is an outage that stops the whole office or
// company (impact and urgency high): no article fixes that from one desk,
// and every minute spent reading one delays the ticket. Impact alone is
// not enough: "nobody in the office can print" may still be one setting.
// Nor is a possible compromise (a phishing link clicked, a stolen laptop):
// IT must hear of it even when an article seems to settle it.
func (s *intakeState) offersArticles() bool {
	said := strings.Join(s.Messages, "\n")
	return s.Kind == tickets.KindIncident && !s.KBDone && !(s.Impact == tickets.High && s.Urgency == tickets.High) &&
		!slices.Contains(extract.SecurityFlags(said), tickets.FlagIdentity) && !extract.Compromised(said)
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
