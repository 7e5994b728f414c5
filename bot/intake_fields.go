package bot

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// absorb folds what Extract found in a message into the report. Empty
// fields are filled quietly; a field that already has a value is only
// replaced when the person says they are correcting it, and they are told.
// answered names the field the message was an answer to, already set by
// setAnswer.
func (b *Bot) absorb(s *intakeState, ex extract.Extraction, answered string) []string {
	var notes []string
	set := func(field, label, have, value string, assign func()) {
		if value == "" || field == answered || have == value {
			return
		}
		if have == "" {
			assign()
			return
		}
		if ex.Correction {
			assign()
			notes = append(notes, fmt.Sprintf("Got it — I changed %s from %q to %q.", label, have, value))
		}
	}
	set(tickets.FieldDevice, "the device", s.Fields[tickets.FieldDevice], ex.Device, func() { s.Fields[tickets.FieldDevice] = ex.Device })
	set(tickets.FieldApp, "the app", s.Fields[tickets.FieldApp], ex.App, func() { s.Fields[tickets.FieldApp] = ex.App })
	set(tickets.FieldError, "the error message", s.Fields[tickets.FieldError], ex.ErrorText, func() { s.Fields[tickets.FieldError] = ex.ErrorText })
	if s.Kind == tickets.KindIncident && s.Fields[tickets.FieldSymptom] == "" && ex.Symptom != "" && answered == "" {
		s.Fields[tickets.FieldSymptom] = extract.Summarize(ex.Symptom)
	}
	if !ex.StartedAt.IsZero() || ex.StartedText != "" {
		value := ex.StartedText // an event: "since the last update"
		if !ex.StartedAt.IsZero() {
			value = formatStarted(ex.StartedAt, ex.StartedText)
		}
		set(tickets.FieldStarted, "when it started", s.Fields[tickets.FieldStarted], value, func() {
			s.StartedAt, s.Fields[tickets.FieldStarted], s.StartedText = ex.StartedAt, value, ex.StartedText
		})
	}
	for _, st := range ex.Steps {
		s.addStep(st)
	}
	set(askCategory, "the category", labelIf(s.Category), labelIf(ex.Category), func() { s.Category = ex.Category })
	set(askImpact, "who is affected", string(s.Impact), string(ex.Impact), func() { s.Impact = ex.Impact })
	set(askUrgency, "the urgency", string(s.Urgency), string(ex.Urgency), func() { s.Urgency = ex.Urgency })
	return notes
}

// labelIf is the label of a known category, "" for none, so absorb can tell
// "nothing found" from a value.
func labelIf(c tickets.Category) string {
	if c == "" {
		return ""
	}
	return c.Label()
}

// setAnswer stores the answer to question q. It returns a message asking
// again when the answer cannot be understood.
func (b *Bot) setAnswer(s *intakeState, q question, text string, ex extract.Extraction) (string, bool) {
	raw := extract.Summarize(text)
	switch q.field {
	case tickets.FieldSymptom:
		if !extract.HasWords(text) {
			return "I couldn't find a description in that. " + q.text, false
		}
		// "it won't turn on", answering what is wrong with the laptop the
		// report named: the problem line says what "it" is.
		if thing := cmp.Or(s.Fields[tickets.FieldDevice], s.Fields[tickets.FieldApp]); thing != "" && !extract.ContainsWord(strings.ToLower(raw), strings.ToLower(thing)) {
			raw = thing + ": " + raw
		}
		s.Fields[q.field] = raw
	case tickets.FieldDevice: // the question asks for the device or the app
		switch {
		case ex.Device == "" && ex.App == "" && otherFacts(ex):
			// "since Monday" to "which device?": the time is kept, the
			// device stays unknown.
			s.Skipped = append(s.Skipped, q.field)
		case ex.Device != "" || ex.App != "":
			s.Fields[tickets.FieldDevice] = cmp.Or(ex.Device, s.Fields[tickets.FieldDevice])
			s.Fields[tickets.FieldApp] = cmp.Or(ex.App, s.Fields[tickets.FieldApp])
		case extract.IsHardware(raw):
			s.Fields[tickets.FieldDevice] = raw
		default:
			s.Fields[tickets.FieldApp] = raw // "SAP", "the expenses portal"
		}
	case tickets.FieldError:
		switch {
		case ex.ErrorText != "":
			s.Fields[q.field] = ex.ErrorText
		case otherFacts(ex):
			// "this morning" to "did you see an error?" is when it
			// started, never the error.
			s.Skipped = append(s.Skipped, q.field)
		case extract.LooksLikeError(text):
			s.Fields[q.field] = strings.TrimSpace(text)
		default:
			return "That doesn't look like an error message. Paste the text the screen shows, exactly, or say \"no\" if there was none.", false
		}
	case tickets.FieldStarted:
		if t, phrase, ok := extract.ParseWhen(text, b.deskNow()); ok {
			s.StartedAt, s.Fields[q.field], s.StartedText = t, formatStarted(t, phrase), phrase
		} else if ex.StartedText != "" {
			s.Fields[q.field], s.StartedText = ex.StartedText, ex.StartedText // "after the update"
		} else if otherFacts(ex) {
			s.Skipped = append(s.Skipped, q.field) // a device or an error, kept by absorb
		} else {
			s.Fields[q.field], s.StartedText = raw, raw // still useful to a technician
		}
	case tickets.FieldSteps:
		switch a := extract.NormalizeAnswer(text); {
		case extract.IsSkip(a), strings.HasPrefix(a, "nothing"), a == "no":
			s.addStep("nothing yet")
		case len(ex.Steps) > 0:
			for _, st := range ex.Steps {
				s.addStep(st)
			}
		default:
			s.addStep(raw)
		}
	case askCategory:
		c, ok := extract.ParseCategory(text, b.deskNow())
		if !ok {
			return "Sorry, I didn't recognise that category. " + q.text, false
		}
		s.Category = c
	case askImpact:
		l, ok := extract.ParseImpact(text)
		if !ok {
			return "Sorry, I didn't get that. " + q.text + " (or say \"skip\")", false
		}
		s.Impact = l
	case askUrgency:
		l, ok := extract.ParseUrgency(text)
		if !ok {
			return "Sorry, I didn't get that. " + q.text + " (or say \"skip\")", false
		}
		s.Urgency = l
	default: // a service request field
		s.Fields[q.field] = strings.TrimSpace(text)
	}
	return "", true
}

// otherFacts reports whether ex holds a fact of its own kind — a time, a
// device or app, an error, steps, a level — that an answer to another
// question carries.
func otherFacts(ex extract.Extraction) bool {
	return !ex.StartedAt.IsZero() || ex.StartedText != "" || ex.Device != "" || ex.App != "" || ex.ErrorText != "" ||
		len(ex.Steps) > 0 || ex.Impact != "" || ex.Urgency != ""
}

// extractionHas reports whether ex carries a value for field.
func extractionHas(ex extract.Extraction, field string) bool {
	switch field {
	case tickets.FieldDevice:
		return ex.Device != "" || ex.App != ""
	case tickets.FieldError:
		return ex.ErrorText != ""
	case tickets.FieldStarted:
		return !ex.StartedAt.IsZero() || ex.StartedText != ""
	case tickets.FieldSteps:
		return len(ex.Steps) > 0
	case askCategory:
		return ex.Category != ""
	case askImpact:
		return ex.Impact != ""
	case askUrgency:
		return ex.Urgency != ""
	}
	return false
}

func formatStarted(t interface{ Format(string) string }, phrase string) string {
	s := t.Format("Mon 2 Jan 15:04")
	if phrase != "" {
		s += " (" + phrase + ")"
	}
	return s
}
