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

// Bounds on what a model may propose, checked before anything else reads
// it: a longer field is rejected unread, and a proposal larger than
// MaxSuggestedBytes in all is not read at all.
const (
	maxSuggestedField = 1 << 10
	maxSuggestedSteps = 12
	// MaxSuggestedBytes bounds a whole proposal.
	MaxSuggestedBytes = 8 << 10
)

// Bytes is the size of the proposal's text.
func (f Suggested) Bytes() int {
	n := len(f.Device) + len(f.Error) + len(f.Started) + len(f.Category) + len(f.Impact) + len(f.Urgency)
	for _, st := range f.Steps {
		n += len(st)
	}
	return n
}

// Check validates fields proposed for report the way the offline
// extractor's own values are made: a device must be one Extract
// recognises (and is normalised like it), an error message must appear in
// the report as written, a start time must appear in the report and parse
// with ParseWhen, steps must be steps Extract recognises, and a category
// must parse as the intake's own answer does. Impact and urgency set the
// priority, so a model's word is not enough: they are accepted only when
// the report itself says so (Extract reads the same level from it), and
// otherwise the person is asked. Fields over the size bounds are rejected
// before they are read; secrets are masked. It returns the accepted values
// and the names of the rejected fields; now resolves relative times.
func (f Suggested) Check(report string, now time.Time) (ex Extraction, rejected []string) {
	reject := func(name string) { rejected = append(rejected, name) }
	if f.Bytes() > MaxSuggestedBytes {
		for _, name := range []string{"device", "error", "started", "steps", "category", "impact", "urgency"} {
			reject(name)
		}
		return ex, rejected
	}
	report, _ = MaskSecrets(report)
	lower := strings.ToLower(report)
	grounded := func(v string) bool {
		return v != "" && strings.Contains(lower, strings.ToLower(v))
	}
	clean := func(v string) string {
		if len(v) > maxSuggestedField {
			return "\x00" // too long to read: a value nothing accepts
		}
		v, _ = MaskSecrets(strings.TrimSpace(v))
		return v
	}
	if len(f.Steps) > maxSuggestedSteps {
		f.Steps = f.Steps[:maxSuggestedSteps]
		reject("steps")
	}

	if v := clean(f.Device); v != "" {
		if d := Extract(v, now); (d.Device != "" || d.App != "") && grounded(v) {
			ex.Device, ex.App = d.Device, d.App
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
	var own *Extraction // what the report says by itself, read once
	says := func() Extraction {
		if own == nil {
			e := Extract(report, now)
			own = &e
		}
		return *own
	}
	if v := clean(f.Impact); v != "" {
		if l, ok := ParseImpact(v); ok && l == says().Impact {
			ex.Impact = l
		} else {
			reject("impact")
		}
	}
	if v := clean(f.Urgency); v != "" {
		if l, ok := ParseUrgency(v); ok && l == says().Urgency {
			ex.Urgency = l
		} else {
			reject("urgency")
		}
	}
	return ex, rejected
}
