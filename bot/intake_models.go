package bot

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// With a model configured, intake asks it for two things while a person
// waits: the fields of a new report the offline extractor missed, and the
// order of the KB articles it offers. Model calls take up to the LLM
// budget, so they are made before the write transaction opens: planModels
// reads the conversation as stored and works out which calls the message
// needs, askModels makes them at once within one budget, and the
// transaction then applies the message with the answers. Whatever changed
// in between, the apply step only uses an answer that fits: model fields
// fill only what is still empty, and the model's order ranks only articles
// search still finds.

// modelPlan is the model calls one message needs.
type modelPlan struct {
	extract string      // text to propose fields for; "" for none
	rerank  string      // the KB query of the offer; "" for none
	cands   []kb.Result // the offer's candidates, for the Reranker
}

// modelAnswers is what the models answered for one message.
type modelAnswers struct {
	fields *extract.Suggested // proposed fields of the message; nil: none
	order  []string           // article IDs, best first; nil: search order
}

// planModels works out the calls t's message needs, from the conversation
// as stored: field proposals when it describes an incident the offline
// extractor left incomplete, and a re-ranking when it brings the report to
// its KB offer. A wrong guess costs a call the apply step does not use, or
// leaves it with the offline result; never a call inside the transaction.
func (b *Bot) planModels(ctx context.Context, t *turn) modelPlan {
	var p modelPlan
	s, err := loadIntake(ctx, b.store, conversationKey(t.msg.Place(), t.msg.User))
	if err != nil {
		return p // the transaction will meet the same error and say so
	}
	switch readMessage(s, t.msg.Text) {
	case readReport:
		if s.Stage == stageDuplicate {
			s = newIntake()
		}
		if extract.IsGreeting(t.msg.Text) || !extract.HasWords(t.msg.Text) {
			return p
		}
		if _, _, ok := b.matchRequest(t.msg.Text); ok {
			return p
		}
		b.absorb(s, t.ex, "")
		if b.llm.extractor != nil && s.missesFields() {
			p.extract = t.msg.Text
		}
		s.keep(t.msg.Text)
	case readNewTicket:
	default:
		return p
	}
	if b.llm.reranker != nil && s.offersArticles() {
		q := s.offerQuery()
		if cands := b.candidates(q); len(cands) > 1 {
			p.rerank, p.cands = q, cands
		}
	}
	return p
}

// askModels makes the planned calls, at once and within one budget, with
// no transaction open. A call that fails or times out leaves its answer
// empty: intake then goes on the offline result.
func (b *Bot) askModels(ctx context.Context, p modelPlan) modelAnswers {
	var a modelAnswers
	var wg sync.WaitGroup
	if p.rerank != "" {
		wg.Go(func() { a.order = b.rerank(ctx, p.rerank, p.cands) })
	}
	if p.extract != "" {
		wg.Go(func() {
			cctx, cancel := b.llm.withBudget(ctx)
			defer cancel()
			sf, err := b.llm.extractor.ExtractFields(cctx, p.extract)
			if err == nil && sf.Bytes() > extract.MaxSuggestedBytes {
				err = fmt.Errorf("answer of %d bytes, over %d", sf.Bytes(), extract.MaxSuggestedBytes)
			}
			if err != nil {
				b.log.DebugContext(ctx, "extract: offline fields only", "err", err)
				return
			}
			a.fields = &sf
		})
	}
	wg.Wait()
	return a
}

// rerank asks the Reranker to order cands, within the budget, and returns
// the article IDs in its order: those it ranked, then the rest in search
// order. An answer naming an article outside cands, or one twice, is not
// trusted: nil, the search order, as on any failure.
func (b *Bot) rerank(ctx context.Context, report string, cands []kb.Result) []string {
	ctx, cancel := b.llm.withBudget(ctx)
	defer cancel()
	got, err := b.llm.reranker.Rerank(ctx, report, cands)
	if err != nil {
		b.log.DebugContext(ctx, "rerank: offline order kept", "err", err)
		return nil
	}
	left := make(map[string]bool, len(cands))
	for _, c := range cands {
		left[c.Article.ID] = true
	}
	order := make([]string, 0, len(cands))
	for _, r := range got {
		if r.Article == nil || !left[r.Article.ID] {
			b.log.DebugContext(ctx, "rerank: offline order kept", "err", "empty, unknown or repeated article")
			return nil
		}
		delete(left, r.Article.ID)
		order = append(order, r.Article.ID)
	}
	for _, c := range cands {
		if left[c.Article.ID] {
			order = append(order, c.Article.ID)
		}
	}
	return order
}

// missesFields reports whether an incident report still lacks a field a
// model could propose.
func (s *intakeState) missesFields() bool {
	return s.Kind == tickets.KindIncident && (s.Fields[tickets.FieldDevice] == "" || s.Fields[tickets.FieldError] == "" ||
		s.Fields[tickets.FieldStarted] == "" || len(s.Steps) == 0 || s.Category == "" || s.Impact == "" || s.Urgency == "")
}

// fillSuggested fills the fields of an incident report that are still
// empty with those the model proposed for t's message and
// extract.Suggested.Check accepts. A field already known is never changed.
func (b *Bot) fillSuggested(s *intakeState, t *turn) {
	if t.model.fields == nil || !s.missesFields() {
		return
	}
	ex, rejected := t.model.fields.Check(t.msg.Text, b.deskNow())
	if len(rejected) > 0 {
		b.log.Debug("extract: suggestions rejected", "fields", rejected)
	}
	fill := func(field, value string) {
		if value != "" && s.Fields[field] == "" {
			s.Fields[field] = value
		}
	}
	fill(tickets.FieldDevice, ex.Device)
	fill(tickets.FieldApp, ex.App)
	fill(tickets.FieldError, ex.ErrorText)
	if !ex.StartedAt.IsZero() && s.Fields[tickets.FieldStarted] == "" {
		s.StartedAt, s.Fields[tickets.FieldStarted], s.StartedText = ex.StartedAt, formatStarted(ex.StartedAt, ex.StartedText), ex.StartedText
	}
	if len(s.Steps) == 0 {
		for _, st := range ex.Steps {
			s.addStep(st)
		}
	}
	s.Category = cmp.Or(s.Category, ex.Category)
	s.Impact = cmp.Or(s.Impact, ex.Impact)
	s.Urgency = cmp.Or(s.Urgency, ex.Urgency)
}

// maxModelText bounds any text a model hands the desk (a draft, a
// summary): a longer answer is dropped unread, so masking and parsing never
// run on megabytes a misbehaving server sent.
const maxModelText = 16 << 10

// modelText makes a model's text fit to keep or show: dropped (false) when
// over maxModelText, else cleaned and masked as a person's message is.
func modelText(s string) (string, bool) {
	if len(s) > maxModelText {
		return "", false
	}
	s, _ = extract.MaskSecrets(unseen(s))
	return s, true
}
