package bot

import (
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// question is one thing intake may ask for an incident.
type question struct {
	field    string
	text     string
	optional bool // "skip" or "don't know" is accepted
}

// Pseudo-fields asked for incidents besides the ticket's Fields.
const (
	askCategory = "category"
	askImpact   = "impact"
	askUrgency  = "urgency"
)

// incidentQuestions are asked in this order, each only when still unknown.
// The order follows how a technician triages: what, where, the exact error,
// since when, what was tried, then how bad.
var incidentQuestions = []question{
	{field: tickets.FieldSymptom, text: "What's going wrong? Describe what you see in a sentence or two."},
	{field: tickets.FieldDevice, text: "Which device or app is this on? (for example: your laptop, your phone, Outlook, the VPN)", optional: true},
	{field: tickets.FieldError, text: "Did you see an error message? Paste it exactly as it appears, or say \"skip\".", optional: true},
	{field: tickets.FieldStarted, text: "When did this start? (for example: \"this morning\", \"2 days ago\", \"yesterday at 3pm\")", optional: true},
	{field: tickets.FieldSteps, text: "What have you tried so far? (for example: \"restarted\", \"reinstalled the app\"), or say \"nothing yet\".", optional: true},
	{field: askCategory, text: "Which of these fits best: account/password, MFA, hardware, software, network (VPN, Wi-Fi), email, printing, access, or other?", optional: true},
	{field: askImpact, text: "Who is affected: just you, your team, or everyone (the whole office or company)?", optional: true},
	{field: askUrgency, text: "How much is this stopping you: you can't work at all, it slows you down (you have a workaround), or it's not urgent?", optional: true},
}

// known reports whether the state already answers field.
func (s *intakeState) known(field string) bool {
	switch field {
	case askCategory:
		return s.Category != ""
	case askImpact:
		return s.Impact != ""
	case askUrgency:
		return s.Urgency != ""
	case tickets.FieldSteps:
		return len(s.Steps) > 0
	case tickets.FieldDevice: // one question asks for the device or the app
		return s.Fields[tickets.FieldDevice] != "" || s.Fields[tickets.FieldApp] != ""
	}
	return s.Fields[field] != ""
}

// nextQuestion returns the first question still open, or false when the
// report is complete.
func (b *Bot) nextQuestion(s *intakeState) (question, bool) {
	qs := b.openQuestions(s)
	if len(qs) == 0 {
		return question{}, false
	}
	return qs[0], true
}

// openQuestions are the questions still open for the report in s, in the
// order they are asked.
func (b *Bot) openQuestions(s *intakeState) []question {
	var out []question
	if s.Kind == tickets.KindRequest {
		rt, ok := b.requestType(s.Request)
		if !ok {
			return nil
		}
		for _, f := range rt.Fields {
			if s.Fields[f.Name] == "" && !s.skipped(f.Name) {
				out = append(out, question{field: f.Name, text: f.Question, optional: f.Optional})
			}
		}
		return out
	}
	for _, q := range incidentQuestions {
		if !s.known(q.field) && !s.skipped(q.field) {
			out = append(out, q)
		}
	}
	return out
}
