package bot

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// suggestFields asks the Extractor, within the budget, for the fields of an
// incident report that are still empty, and fills those it proposes and
// extract.Suggested.Check accepts. A field already known is never changed.
func (b *Bot) suggestFields(ctx context.Context, s *intakeState, text string) {
	if b.llm.extractor == nil || s.Kind != tickets.KindIncident {
		return
	}
	if s.Fields[tickets.FieldDevice] != "" && s.Fields[tickets.FieldError] != "" && s.Fields[tickets.FieldStarted] != "" &&
		len(s.Steps) > 0 && s.Category != "" && s.Impact != "" && s.Urgency != "" {
		return // nothing left to fill
	}
	var sf extract.Suggested
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
	ex, rejected := sf.Check(text, b.now())
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
