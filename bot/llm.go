package bot

import (
	"context"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// The bot can use a language model for three things, each optional and
// each behind a small interface here, so the core never depends on a
// model: re-ranking the KB articles it offers, filling intake fields the
// offline extractor missed, and drafting articles from resolved tickets.
// Every call is bounded by Options.LLMBudget and every failure falls back
// to the offline result; the adapter (adapters/openai) counts and logs why.

// Reranker re-orders the KB candidates for a report. It returns a subset
// or permutation of cands, best first; the bot shows nothing that is not
// among cands, whatever it returns.
type Reranker interface {
	Rerank(ctx context.Context, report string, cands []kb.Result) ([]kb.Result, error)
}

// Extractor proposes intake fields from a report; the desk accepts only
// what extract.Suggested.Check does.
type Extractor interface {
	ExtractFields(ctx context.Context, report string) (extract.Suggested, error)
}

// Drafter writes drafts for agents to review: a KB article from a
// resolved ticket (given the offline draft as a starting point and for
// its ID), and a short summary of a long ticket for an escalation.
type Drafter interface {
	DraftArticle(ctx context.Context, facts kb.TicketFacts, offline kb.Draft) (kb.Draft, error)
	SummarizeTicket(ctx context.Context, facts kb.TicketFacts) (string, error)
}

// DefaultLLMBudget is how long intake waits for a model when
// Options.LLMBudget is not set.
const DefaultLLMBudget = 2 * time.Second

// DefaultRerankDepth is how many candidates a Reranker sees when
// Options.RerankDepth is not set.
const DefaultRerankDepth = 10

// llm holds the optional model collaborators of a Bot.
type llm struct {
	reranker  Reranker
	extractor Extractor
	drafter   Drafter
	budget    time.Duration
	depth     int
}

// newLLM takes the model collaborators from opts.
func newLLM(opts Options) llm {
	l := llm{reranker: opts.Reranker, extractor: opts.Extractor, drafter: opts.Drafter, budget: opts.LLMBudget, depth: opts.RerankDepth}
	if l.budget <= 0 {
		l.budget = DefaultLLMBudget
	}
	if l.depth <= 0 {
		l.depth = DefaultRerankDepth
	}
	return l
}

// enabled reports whether intake asks a model anything.
func (l llm) enabled() bool { return l.reranker != nil || l.extractor != nil }

// withBudget bounds a model call made while a person waits.
func (l llm) withBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, l.budget)
}
