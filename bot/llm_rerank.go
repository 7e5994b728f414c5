package bot

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// suggest returns the KB articles worth offering for query, best first:
// none when search is not sure enough (kb.OfferConfidence below
// KBMinScore), else the top KBSuggestions, re-ranked by the Reranker when
// there is one.
func (b *Bot) suggest(ctx context.Context, query string) []kb.Result {
	cfg := b.conf()
	n := cfg.KBSuggestions
	depth := max(n, 2) // OfferConfidence needs the runner-up
	if b.llm.reranker != nil {
		depth = max(depth, b.llm.depth)
	}
	res := b.kb.Search(query, depth)
	if len(res) == 0 || kb.OfferConfidence(res) < cfg.KBMinScore {
		return nil
	}
	if b.llm.reranker != nil && len(res) > 1 {
		res = b.noteRerank(ctx, query, res)
	}
	return res[:min(n, len(res))]
}

// noteRerank takes the model's order from the message's notes (see
// llm_prefetch.go): in the rehearsal it notes the request and keeps the
// offline order; afterwards it uses the answer, or the offline order for
// a request the rehearsal did not see. Without notes it calls directly.
func (b *Bot) noteRerank(ctx context.Context, query string, res []kb.Result) []kb.Result {
	n := notesFrom(ctx)
	if n == nil {
		return b.rerank(ctx, query, res)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.rehearsal {
		n.reranks[query] = res
		return res
	}
	if n.reranked[query] {
		return n.reranks[query]
	}
	return res
}

// rerank asks the Reranker to order cands, within the budget. Whatever it
// returns, the result holds only articles of cands, each once: the ones it
// ranked first, then the rest in search order. On any failure, cands.
func (b *Bot) rerank(ctx context.Context, report string, cands []kb.Result) []kb.Result {
	ctx, cancel := b.llm.withBudget(ctx)
	defer cancel()
	got, err := b.llm.reranker.Rerank(ctx, report, cands)
	if err != nil {
		b.log.DebugContext(ctx, "rerank: offline order kept", "err", err)
		return cands
	}
	byID := make(map[string]kb.Result, len(cands))
	for _, c := range cands {
		byID[c.Article.ID] = c
	}
	out := make([]kb.Result, 0, len(cands))
	for _, r := range got {
		if r.Article == nil {
			b.log.DebugContext(ctx, "rerank: offline order kept", "err", "empty result")
			return cands
		}
		c, ok := byID[r.Article.ID]
		if !ok {
			b.log.DebugContext(ctx, "rerank: offline order kept", "err", "unknown or repeated article", "article", r.Article.ID)
			return cands
		}
		delete(byID, r.Article.ID)
		out = append(out, c)
	}
	for _, c := range cands {
		if _, left := byID[c.Article.ID]; left {
			out = append(out, c)
		}
	}
	return out
}
