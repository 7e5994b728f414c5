package extract

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Suggested are intake fields proposed by someone other than Extract — a
// language model — as text. Nothing in it is trusted until Check accepts
// it; "" means none.
type Suggested struct {
	Device   string   // the device or system, as the person named it
	Error    string   // the error message, verbatim from the report
	Started  string   // when it started, as the person said it ("since Monday")
	Steps    []string // what the person already tried, short phrases
	Category string   // one of the ticket categories
	Impact   string   // low, medium or high: who is affected
	Urgency  string   // low, medium or high: how much it stops work
}

// maxSuggestedError bounds an error message taken from a model.
const maxSuggestedError = 300

// Check validates fields proposed for report the way the offline
// extractor's own values are made: a device must be one Extract
// recognises (and is normalised like it), an error message must appear in
// the report as written, a start time must appear in the report and parse
// with ParseWhen, steps must be steps Extract recognises, and category,
// impact and urgency must parse as the intake's own answers do. Secrets are
// masked. It returns the accepted values and the names of the rejected
// fields; now resolves relative times.
func (f Suggested) Check(report string, now time.Time) (ex Extraction, rejected []string) {
	report, _ = MaskSecrets(report)
	lower := strings.ToLower(report)
	grounded := func(v string) bool {
		return v != "" && strings.Contains(lower, strings.ToLower(v))
	}
	clean := func(v string) string {
		v, _ = MaskSecrets(strings.TrimSpace(v))
		return v
	}
	reject := func(name string) { rejected = append(rejected, name) }

	if v := clean(f.Device); v != "" {
		if d := Extract(v, now).Device; d != "" && grounded(v) {
			ex.Device = d
		} else {
			reject("device")
		}
	}
	if v := stripQuotes(clean(f.Error)); v != "" {
		if grounded(v) && utf8.RuneCountInString(v) <= maxSuggestedError && !strings.Contains(v, "\n") {
			ex.ErrorText = v
		} else {
			reject("error")
		}
	}
	if v := clean(f.Started); v != "" {
		if t, phrase, ok := ParseWhen(v, now); ok && grounded(v) {
			ex.StartedAt, ex.StartedText = t, cmp.Or(phrase, v)
		} else {
			reject("started")
		}
	}
	for _, st := range f.Steps {
		got := Extract(clean(st), now).Steps
		if len(got) == 0 {
			reject("steps")
			continue
		}
		for _, g := range got {
			if !slices.Contains(ex.Steps, g) {
				ex.Steps = append(ex.Steps, g)
			}
		}
	}
	if v := clean(f.Category); v != "" {
		if c, ok := tickets.ParseCategory(v); ok {
			ex.Category = c
		} else {
			reject("category")
		}
	}
	if v := clean(f.Impact); v != "" {
		if l, ok := ParseImpact(v); ok {
			ex.Impact = l
		} else {
			reject("impact")
		}
	}
	if v := clean(f.Urgency); v != "" {
		if l, ok := ParseUrgency(v); ok {
			ex.Urgency = l
		} else {
			reject("urgency")
		}
	}
	return ex, rejected
}
