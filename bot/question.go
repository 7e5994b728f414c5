package bot

import (
	"strings"

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
	}
	return s.Fields[field] != ""
}

// nextQuestion returns the first question still open, or false when the
// report is complete.
func (b *Bot) nextQuestion(s *intakeState) (question, bool) {
	if s.Kind == tickets.KindRequest {
		rt, ok := b.requestType(s.Request)
		if !ok {
			return question{}, false
		}
		for _, f := range rt.Fields {
			if s.Fields[f.Name] == "" && !s.skipped(f.Name) {
				return question{field: f.Name, text: f.Question, optional: f.Optional}, true
			}
		}
		return question{}, false
	}
	for _, q := range incidentQuestions {
		if !s.known(q.field) && !s.skipped(q.field) {
			return q, true
		}
	}
	return question{}, false
}

// skipWords are answers that mean "I don't know" or "not applicable".
var skipWords = map[string]bool{
	"skip": true, "dont know": true, "don't know": true, "do not know": true, "idk": true,
	"no idea": true, "not sure": true, "n/a": true, "na": true, "none": true, "unknown": true,
	"pass": true, "dunno": true, "no error": true, "no message": true, "nope": true, "no": true,
	"no errors": true, "no error message": true, "nothing": true, "nothing yet": true, "nothing shown": true, "none shown": true,
	"didn't see one": true, "did not see one": true, "i didn't see one": true, "there is no error": true,
	"there's no error": true, "no error shown": true,
}

func isSkip(s string) bool { return skipWords[normalizeAnswer(s)] }

// normalizeAnswer lower-cases a short answer and strips punctuation around it.
func normalizeAnswer(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Trim(s, " .!?,;:\"'")
}

var yesWords = map[string]bool{
	"yes": true, "y": true, "yep": true, "yeah": true, "yup": true, "fixed": true, "it worked": true,
	"that worked": true, "this fixed it": true, "that fixed it": true, "fixed it": true, "solved": true,
	"worked": true, "it's fixed": true, "its fixed": true, "sorted": true, "all good": true, "thanks, fixed": true,
}

var noWords = map[string]bool{
	"no": true, "n": true, "nope": true, "nah": true, "still broken": true, "not fixed": true,
	"didn't help": true, "didnt help": true, "did not help": true, "none": true, "none of them": true,
	"no luck": true, "still not working": true, "doesn't work": true, "didn't work": true, "didnt work": true,
	"no, still broken": true, "not really": true,
}

// parseYesNo reads an answer to "did one of these fix it?". n is the article
// number when the person names one ("2", "yes 2").
func parseYesNo(s string) (yes, no bool, n int) {
	a := normalizeAnswer(s)
	if len(a) == 1 && a[0] >= '1' && a[0] <= '9' {
		return true, false, int(a[0] - '0')
	}
	if f := strings.Fields(a); len(f) == 2 && yesWords[f[0]] && len(f[1]) == 1 && f[1][0] >= '1' && f[1][0] <= '9' {
		return true, false, int(f[1][0] - '0')
	}
	return yesWords[a], noWords[a], 0
}
