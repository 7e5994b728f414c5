package bot

import (
	"context"
	"regexp"
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
// (filed, fixed by an article, cancelled, or added to a ticket already
// open), in the same transaction, so neither can be lost between the two.

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

// sameProblemRe marks a message about the problem already reported: "my
// phone can't connect either", "it crashes in Word too", "same on my
// desktop".
var sameProblemRe = regexp.MustCompile(`(?i)\b(?:either|same|also happens|again)\b|\b(?:it|this|that)\b.*\b(?:too|as well)\b`)

// genericSymptomWords say nothing of which problem it is: a message and
// the report sharing only these share no symptom.
var genericSymptomWords = map[string]bool{"keep": true, "keeps": true, "still": true, "work": true, "works": true,
	"working": true, "anymore": true, "every": true, "time": true, "when": true, "open": true, "opening": true,
	"can": true, "cant": true, "won": true, "doesn": true, "isn": true, "not": true, "all": true, "now": true}

// sharesSymptom reports whether a and b share a word of what is wrong
// ("connect" and "connecting"), by their first five letters.
func sharesSymptom(a, b string) bool {
	stem := func(w string) string { return w[:min(5, len(w))] }
	theirs := map[string]bool{}
	for w := range extract.ContentWords(b) {
		if !genericSymptomWords[w] {
			theirs[stem(w)] = true
		}
	}
	for w := range extract.ContentWords(a) {
		if !genericSymptomWords[w] && theirs[stem(w)] {
			return true
		}
	}
	return false
}

// separateProblem reports whether the message of t, said while the
// incident report s is being asked about, is plainly another problem. It
// must state a problem, give no fact this report asks for (an error
// message, a step), and not say it is the same ("either", "it … too").
// Then, opening as an addition ("also", "oh and", "btw"), it must name
// another app than the report's, or share no symptom word with the report
// and name another device, or a device or app the report lacks in another
// category (or in one when the report has none yet). Without that
// opening, which answers often lack, it must do the last and also not
// answer the question asked (answered false): "my desktop can't connect"
// to "who is affected?" on a VPN report is about the same problem.
func separateProblem(s *intakeState, t *turn, answered bool) bool {
	ex := t.ex
	if s.Kind != tickets.KindIncident || ex.Correction || ex.Symptom == "" || (ex.Device == "" && ex.App == "") ||
		ex.ErrorText != "" || len(ex.Steps) > 0 || sameProblemRe.MatchString(t.msg.Text) {
		return false
	}
	device, app := s.Fields[tickets.FieldDevice], s.Fields[tickets.FieldApp]
	differs := func(said, known string) bool {
		return said != "" && known != "" && !strings.EqualFold(said, known)
	}
	lacks := func(said, known string) bool { return said != "" && known == "" }
	same := func(said, known string) bool { return said != "" && strings.EqualFold(said, known) }
	// names: something of its own, and nothing of the report's.
	names := (lacks(ex.Device, device) || differs(ex.Device, device) || lacks(ex.App, app) || differs(ex.App, app)) &&
		!same(ex.Device, device) && !same(ex.App, app)
	// A report not yet categorised counts as another category.
	otherCategory := ex.Category != "" && ex.Category != s.Category
	var report []string // what was said before this message
	for _, m := range s.Messages {
		if m != t.msg.Text {
			report = append(report, m)
		}
	}
	otherSymptom := !sharesSymptom(t.msg.Text, strings.Join(report, " "))
	if extract.AddsAnother(t.msg.Text) {
		// Another app is another problem, even crashing the same way;
		// another device with the same symptom is the same one spreading.
		return differs(ex.App, app) || otherSymptom && (differs(ex.Device, device) || names && otherCategory)
	}
	return !answered && names && otherCategory && otherSymptom
}

// keepForLater sets the message of t aside as another problem and puts
// the question again.
func (b *Bot) keepForLater(s *intakeState, t *turn, question string) []chat.Reply {
	// The secret, if any, was masked in the message kept aside (or let
	// go); the report being asked about did not get it.
	s.Secret = t.secretBefore
	if len(s.Later) >= maxLater {
		return []chat.Reply{{Text: "That sounds like yet another problem, and I'm already keeping " + strings.ToLower(countWord(len(s.Later))) + " for after this report: please tell me about it again once those are filed.\n" + question}}
	}
	s.Later = append(s.Later, laterReport{Text: t.msg.Text, Ex: t.ex, Secret: t.secret})
	return []chat.Reply{{Text: "That sounds like a separate problem, so it gets a ticket of its own: I'll start on it as soon as this report is done.\n" + question}}
}

// laterPending reports whether s is done with its own report but holds
// problems kept aside: done, or added to a ticket already open.
func laterPending(s *intakeState, done bool) bool {
	return len(s.Later) > 0 && (done || s.Stage == stageDuplicate)
}

// takeUpLater starts the report of the first problem kept aside, once the
// report of s is done, in the conversation's place. It returns the state
// to keep (nil when that report is done too) and what to say. The later
// report is never an update to, an answer on, or a duplicate of the
// tickets this conversation filed before it: the person said it was
// another problem.
func (b *Bot) takeUpLater(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState) (*intakeState, []chat.Reply, error) {
	var out []chat.Reply
	later, filed := s.Later, s.filed()
	for len(later) > 0 {
		next := later[0]
		ns := newIntake()
		ns.Later = slices.Clone(later[1:])
		ns.Secret = next.Secret
		ns.Siblings = filed
		msg := m
		msg.Text = next.Text
		said := next.Ex.Symptom // without its "oh, and also"
		if said == "" {
			said = next.Text
		}
		out = append(out, chat.Reply{Text: "Now the other problem you mentioned: “" + extract.Summarize(said) + "”"})
		replies, done, err := b.step(ctx, tx, &turn{msg: msg, ex: next.Ex, secret: next.Secret, fresh: true}, ns)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, replies...)
		if !laterPending(ns, done) {
			if done {
				return nil, out, nil
			}
			return ns, out, nil
		}
		later, filed = ns.Later, ns.filed()
	}
	return nil, out, nil
}

// filed is the tickets this conversation filed or added to: those of the
// reports before this one, and this one's.
func (s *intakeState) filed() []int64 {
	out := slices.Clone(s.Siblings)
	for _, id := range []int64{s.Opened, s.DupOf} {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
