package bot

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// maxSuggestedError bounds an error message taken from a model.
const maxSuggestedError = 300

// CheckSuggested validates fields proposed by a model for report the way
// the offline extractor's own values are made: a device must be one Extract
// recognises (and is normalised like it), an error message must appear in
// the report as written, a start time must appear in the report and parse
// with ParseWhen, steps must be steps Extract recognises, and category,
// impact and urgency must parse as the intake's own answers do. Secrets are
// masked. It returns the accepted values and the names of the rejected
// fields; now resolves relative times.
func CheckSuggested(f SuggestedFields, report string, now time.Time) (ex Extraction, rejected []string) {
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
			ex.StartedAt, ex.StartedText = t, firstNonEmpty(phrase, v)
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
			if !hasString(ex.Steps, g) {
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

// suggestFields asks the Extractor, within the budget, for the fields of an
// incident report that are still empty, and fills those it proposes and
// CheckSuggested accepts. A field already known is never changed.
func (b *Bot) suggestFields(ctx context.Context, s *intakeState, text string) {
	if b.llm.extractor == nil || s.Kind != tickets.KindIncident {
		return
	}
	if s.Fields[tickets.FieldDevice] != "" && s.Fields[tickets.FieldError] != "" && s.Fields[tickets.FieldStarted] != "" &&
		len(s.Steps) > 0 && s.Category != "" && s.Impact != "" && s.Urgency != "" {
		return // nothing left to fill
	}
	var sf SuggestedFields
	if n := notesFrom(ctx); n != nil {
		// See llm_prefetch.go: note the request in the rehearsal, use the
		// answer afterwards; never call inside the transaction.
		n.mu.Lock()
		got, asked := n.extracts[text]
		if n.rehearsal && !asked {
			n.extracts[text] = nil
		}
		n.mu.Unlock()
		if n.rehearsal || got == nil {
			return
		}
		sf = *got
	} else {
		cctx, cancel := b.llm.withBudget(ctx)
		defer cancel()
		var err error
		if sf, err = b.llm.extractor.ExtractFields(cctx, text); err != nil {
			b.log.DebugContext(ctx, "extract: offline fields only", "err", err)
			return
		}
	}
	ex, rejected := CheckSuggested(sf, text, b.now())
	if len(rejected) > 0 {
		b.log.DebugContext(ctx, "extract: suggestions rejected", "fields", rejected)
	}
	fill := func(field, value string) {
		if value != "" && s.Fields[field] == "" {
			s.Fields[field] = value
		}
	}
	fill(tickets.FieldDevice, ex.Device)
	fill(tickets.FieldError, ex.ErrorText)
	if !ex.StartedAt.IsZero() && s.Fields[tickets.FieldStarted] == "" {
		s.StartedAt, s.Fields[tickets.FieldStarted] = ex.StartedAt, formatStarted(ex.StartedAt, ex.StartedText)
	}
	if len(s.Steps) == 0 {
		for _, st := range ex.Steps {
			s.addStep(st)
		}
	}
	if s.Category == "" {
		s.Category = ex.Category
	}
	if s.Impact == "" {
		s.Impact = ex.Impact
	}
	if s.Urgency == "" {
		s.Urgency = ex.Urgency
	}
}
