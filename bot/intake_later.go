package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A person answering the desk's questions sometimes brings up a second
// problem: "oh, and the printer on floor 2 is jammed". Taken as an answer,
// it would land on the first problem's ticket, its printer in that
// ticket's fields and "slow" read as its urgency. It is kept aside
// instead, and reported on its own as soon as the first report is done
// (filed, fixed by an article, or cancelled), in the same transaction,
// so neither can be lost between the two.

// maxLater bounds the problems kept aside in one conversation.
const maxLater = 3

// laterReport is a message kept aside as another problem, with what
// Extract found in it when it was said: read again later, "since this
// morning" would mean another morning.
type laterReport struct {
	Text   string             `json:"text"`
	Ex     extract.Extraction `json:"ex"`
	Secret bool               `json:"secret,omitempty"`
}

// separateProblem reports whether the message of t, said while the
// incident report s is being asked about, is plainly another problem: it
// states a problem and names a device or app of its own, which differs
// from the report's (another device or app, or another category). That
// is enough when it opens as an addition ("also", "oh and", "btw"), or
// when it does not answer the question asked (answered false); an answer
// naming another app ("it's fine in Outlook on the web") is still an
// answer.
func separateProblem(s *intakeState, t *turn, answered bool) bool {
	ex := t.ex
	if s.Kind != tickets.KindIncident || ex.Correction || ex.Symptom == "" || (ex.Device == "" && ex.App == "") {
		return false
	}
	differs := func(said, known string) bool {
		return said != "" && known != "" && !strings.EqualFold(said, known)
	}
	other := differs(ex.Device, s.Fields[tickets.FieldDevice]) || differs(string(ex.Category), string(s.Category))
	if extract.AddsAnother(t.msg.Text) {
		return other || differs(ex.App, s.Fields[tickets.FieldApp])
	}
	return !answered && other
}

// keepForLater sets the message of t aside as another problem and asks
// the question again.
func (b *Bot) keepForLater(s *intakeState, t *turn, question string) []chat.Reply {
	if len(s.Later) >= maxLater {
		return []chat.Reply{{Text: "I've already noted other problems to report after this one. Let's finish this report first: " + question}}
	}
	s.Later = append(s.Later, laterReport{Text: t.msg.Text, Ex: t.ex, Secret: t.secret})
	return []chat.Reply{{Text: "That sounds like a separate problem, so it gets a ticket of its own: I'll start on it as soon as this report is done.\n" + question}}
}

// takeUpLater starts the report of the first problem kept aside, once the
// report of s is done, in the conversation's place. It returns the state
// to keep (nil when that report is done too) and what to say.
func (b *Bot) takeUpLater(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) (*intakeState, []chat.Reply, error) {
	var out []chat.Reply
	later := s.Later
	for len(later) > 0 {
		next := later[0]
		ns := newIntake()
		ns.Later = slices.Clone(later[1:])
		ns.Secret = next.Secret
		msg := m
		msg.Text = next.Text
		said := next.Ex.Symptom // without its "oh, and also"
		if said == "" {
			said = next.Text
		}
		out = append(out, chat.Reply{Text: "Now the other problem you mentioned: “" + extract.Summarize(said) + "”"})
		replies, done, err := b.step(ctx, tx, &turn{msg: msg, ex: next.Ex, secret: next.Secret}, ns)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, replies...)
		if !done {
			return ns, out, nil
		}
		later = ns.Later
	}
	return nil, out, nil
}
