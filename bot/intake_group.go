package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// An incident report that still misses several facts gets them asked
// together, in one short turn, after what was understood: a person
// answers what they know in one message, and what they leave out is not
// asked again. One missing fact is asked on its own, and its answer is
// checked against the question.

// groupQuestions are the short forms of the incident questions, asked
// together.
var groupQuestions = map[string]string{
	tickets.FieldDevice:  "Which device or app is it on?",
	tickets.FieldError:   "The exact error message, if there is one?",
	tickets.FieldStarted: "When did it start?",
	tickets.FieldSteps:   "What have you tried so far?",
	askImpact:            "Who is affected: just you, your team, or everyone?",
	askUrgency:           "How much does it stop you: can't work, slowed down, or not urgent?",
}

// groupable are the open questions of an incident that may be asked
// together: every optional one but the category, which the ticket can do
// without. Once a group was asked, the rest go one by one.
func groupable(s *intakeState, qs []question) []question {
	if s.Grouped {
		return nil
	}
	var out []question
	for _, q := range qs {
		if _, ok := groupQuestions[q.field]; ok && q.optional {
			out = append(out, q)
		}
	}
	return out
}

// askGroup asks qs together, after what was understood so far.
func (b *Bot) askGroup(s *intakeState, qs []question) []chat.Reply {
	s.Asking, s.Group = "", nil
	for _, q := range qs {
		s.Group = append(s.Group, q.field)
	}
	return []chat.Reply{{Text: groupText(s)}}
}

// groupText is the message asking for the fields of s.Group.
func groupText(s *intakeState) string {
	var sb strings.Builder
	if u := understood(s); u != "" {
		sb.WriteString(u + "\n")
	}
	fmt.Fprintf(&sb, "%s quick things, so the team can start (answer what you know, in one message):", countWord(len(s.Group)))
	for _, f := range s.Group {
		sb.WriteString("\n• " + groupQuestions[f])
	}
	return sb.String()
}

func countWord(n int) string {
	if n >= 2 && n <= 6 {
		return []string{"Two", "Three", "Four", "Five", "Six"}[n-2]
	}
	return "A few"
}

// answerGroup applies one reply to the questions asked together: each
// fact it gives fills its field, whichever question it answers; the rest
// are skipped, not asked again.
func (b *Bot) answerGroup(t *turn, s *intakeState) []string {
	s.keep(t.msg.Text)
	notes := b.absorb(s, t.ex, "")
	if !s.known(askImpact) {
		if l, ok := extract.ParseImpact(t.msg.Text); ok {
			s.Impact = l
		}
	}
	if !s.known(askUrgency) {
		if l, ok := extract.ParseUrgency(t.msg.Text); ok {
			s.Urgency = l
		}
	}
	if !s.known(tickets.FieldSteps) && slices.Contains(s.Group, tickets.FieldSteps) && nothingTried(t.msg.Text) {
		s.addStep("nothing yet")
	}
	// What the answer left out is not asked again, but for who is
	// affected and how much it stops them: they set the priority, so
	// each is asked once more on its own.
	for _, f := range s.Group {
		if !s.known(f) && !s.skipped(f) && f != askImpact && f != askUrgency {
			s.Skipped = append(s.Skipped, f)
		}
	}
	s.Group = nil
	s.Grouped = true
	return notes
}

// otherLevels reads who is affected and how much it stops them, where
// still unknown, from clauses of the answer to another question that say
// only that ("restarted it, just me, slowed down" to "who is affected?"):
// the rest of the answer was read with the first message's cues
// already (absorb).
func otherLevels(s *intakeState, asked, text string) {
	impact, urgency := extract.LevelsInClauses(text)
	if asked != askImpact && !s.known(askImpact) && impact != "" {
		s.Impact = impact
	}
	if asked != askUrgency && !s.known(askUrgency) && urgency != "" {
		s.Urgency = urgency
	}
}

// nothingTried reports an answer saying nothing was tried yet.
func nothingTried(text string) bool {
	a := extract.NormalizeAnswer(text)
	return strings.Contains(a, "nothing yet") || strings.Contains(a, "haven't tried") || strings.Contains(a, "not tried") ||
		strings.Contains(a, "didn't try") || strings.HasPrefix(a, "nothing")
}

// understood says what the report holds so far, so the person can see
// what was read from their words. A message not in English is told so
// plainly: the desk reads common words of other languages, but answers in
// English.
func understood(s *intakeState) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+": "+v)
		}
	}
	add("device", s.Fields[tickets.FieldDevice])
	add("app", s.Fields[tickets.FieldApp])
	add("error", quoteShort(s.Fields[tickets.FieldError]))
	add("started", cmpStarted(s))
	var tried []string
	for _, st := range s.Steps {
		tried = append(tried, triedLeadRe.ReplaceAllString(st, ""))
	}
	add("tried", strings.Join(tried, ", "))
	add("affects", impactWords[s.Impact])
	add("urgency", urgencyWords[s.Urgency])
	if len(parts) == 0 {
		return ""
	}
	lead := "Got it — "
	if len(s.Messages) > 0 && extract.Language(s.Messages[0]) != "en" {
		lead = "I answer in English; from your message I understood — "
	}
	return lead + strings.Join(parts, "; ") + "."
}

var (
	impactWords  = map[tickets.Level]string{tickets.Low: "just you", tickets.Medium: "your team", tickets.High: "many people"}
	urgencyWords = map[tickets.Level]string{tickets.Low: "not urgent", tickets.Medium: "slows you down", tickets.High: "stops your work"}
)

// triedLeadRe is the "tried" a step phrase may start with, said once by
// the label.
var triedLeadRe = regexp.MustCompile(`(?i)^(?:i )?(?:already )?(?:tried|attempted)\s+`)

// cmpStarted is when it started, in the person's words when kept.
func cmpStarted(s *intakeState) string {
	if s.StartedText != "" {
		return s.StartedText
	}
	return s.Fields[tickets.FieldStarted]
}

// quoteShort quotes an error message, shortened to a line.
func quoteShort(e string) string {
	if e == "" {
		return ""
	}
	return `"` + extract.Summarize(e) + `"`
}

// answersGroup reports whether the message of t gives any of the facts
// asked together in s.Group, as answerGroup would read them.
func answersGroup(s *intakeState, t *turn) bool {
	for _, f := range s.Group {
		switch f {
		case askImpact:
			if _, ok := extract.ParseImpact(t.msg.Text); ok {
				return true
			}
		case askUrgency:
			if _, ok := extract.ParseUrgency(t.msg.Text); ok {
				return true
			}
		case tickets.FieldSteps:
			if len(t.ex.Steps) > 0 || nothingTried(t.msg.Text) {
				return true
			}
		case tickets.FieldError:
			if t.ex.ErrorText != "" {
				return true
			}
		case tickets.FieldStarted:
			if !t.ex.StartedAt.IsZero() || t.ex.StartedText != "" {
				return true
			}
		case tickets.FieldDevice:
			if t.ex.Device != "" || t.ex.App != "" {
				return true
			}
		}
	}
	return false
}
