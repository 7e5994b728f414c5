package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// offeredArticle is what the KB offer template shows.
type offeredArticle struct {
	N       int
	ID      string
	Title   string
	Summary string
}

// offerQuery is what the KB is searched with for the report in s:
// everything said so far, and the error message.
func (s *intakeState) offerQuery() string {
	return strings.Join(append(slices.Clone(s.Messages), s.Fields[tickets.FieldError]), " ")
}

// candidates are the articles search finds for query, best first, when
// it is sure enough to offer any (kb.OfferConfidence at least KBMinScore);
// nil when not. A Reranker sees up to its depth of them.
func (b *Bot) candidates(query string) []kb.Result {
	depth := max(b.conf().KBSuggestions, 2) // OfferConfidence needs the runner-up
	if b.llm.reranker != nil {
		depth = max(depth, b.llm.depth)
	}
	res := b.kb.Search(query, depth)
	if len(res) == 0 || kb.OfferConfidence(res) < b.conf().KBMinScore {
		return nil
	}
	return res
}

// suggest returns the articles to offer for query, best first: the top
// KBSuggestions of the candidates, in the model's order where it gave one
// (order holds article IDs; those not among the candidates are ignored, and
// candidates it left out follow in search order).
func (b *Bot) suggest(query string, order []string) []kb.Result {
	res := b.candidates(query)
	if len(order) > 0 {
		rank := func(r kb.Result) int {
			if i := slices.Index(order, r.Article.ID); i >= 0 {
				return i
			}
			return len(order)
		}
		slices.SortStableFunc(res, func(x, y kb.Result) int { return rank(x) - rank(y) })
	}
	return res[:min(b.conf().KBSuggestions, len(res))]
}

// offerArticles searches the KB with everything said so far and offers the
// best articles, tier-0 self-service before a technician spends time.
// Nothing is offered when search is not sure enough (see candidates).
// order is the model's ranking, if any.
func (b *Bot) offerArticles(s *intakeState, order []string) (chat.Reply, bool) {
	var offered []offeredArticle
	s.Offered = s.Offered[:0]
	for _, r := range b.suggest(s.offerQuery(), order) {
		offered = append(offered, offeredArticle{N: len(offered) + 1, ID: r.Article.ID, Title: r.Article.Title, Summary: r.Article.Summary})
		s.Offered = append(s.Offered, r.Article.ID)
	}
	if len(offered) == 0 {
		return chat.Reply{}, false
	}
	s.Stage = stageKB
	return chat.Reply{Text: b.render("kb_offer", map[string]any{"Articles": offered}), Buttons: kbButtons()}, true
}

func kbButtons() []tickets.Button {
	return []tickets.Button{
		{Label: "This fixed it", Action: chat.ActionKBFixed},
		{Label: "Still broken", Action: chat.ActionKBNotFixed},
	}
}

// kbAnswer applies the answer to a KB offer: "yes" (or an article's
// number) closes the report as self-served, "no" goes on to the ticket's
// questions; anything else is taken as more detail, and the question put
// again.
func (b *Bot) kbAnswer(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) ([]chat.Reply, bool, error) {
	yes, no, n := extract.ParseYesNo(t.msg.Text)
	switch {
	case yes:
		return b.selfServed(ctx, tx, t.msg, s, n)
	case no:
		b.articlesTried(s)
		return b.advance(ctx, tx, t, s)
	}
	if notes := b.absorb(s, t.ex, ""); len(notes) > 0 {
		s.keep(t.msg.Text)
		return []chat.Reply{{Text: strings.Join(notes, "\n") + "\n\nDid one of those articles fix it? Reply \"yes\" or \"no\"."}}, false, nil
	}
	return []chat.Reply{{Text: "Did one of the articles above fix it? Reply \"yes\" (or its number) if it did, or \"no\" and I'll open a ticket.", Buttons: kbButtons()}}, false, nil
}

// kbTriedField holds, during intake, the titles of the rejected articles.
const kbTriedField = "kb_tried"

// articlesTried records the rejected articles among the steps already
// tried, so the technician does not suggest them again.
func (b *Bot) articlesTried(s *intakeState) {
	var titles []string
	for _, id := range s.Offered {
		if a, ok := b.kb.Article(id); ok {
			titles = append(titles, a.Title)
		}
	}
	if len(titles) > 0 {
		// Kept apart from the person's own steps so they are still asked
		// what else they tried; the ticket lists both.
		s.Fields[tickets.FieldArticles] = strings.Join(s.Offered, ",")
		s.Fields[kbTriedField] = "tried KB articles: " + strings.Join(titles, "; ")
	}
}

// selfServed closes the conversation as solved by an article: tier-0
// deflection, counted for first contact resolution.
func (b *Bot) selfServed(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState, n int) ([]chat.Reply, bool, error) {
	article := ""
	if n >= 1 && n <= len(s.Offered) {
		article = s.Offered[n-1]
	} else if len(s.Offered) > 0 {
		article = s.Offered[0]
	}
	rec := &tickets.SelfService{
		Requester: m.User, Category: s.Category, Summary: s.Fields[tickets.FieldSymptom],
		ArticleID: article, Offered: s.Offered, At: b.now(),
	}
	if err := tx.RecordSelfService(ctx, rec); err != nil {
		return nil, false, err
	}
	b.countFixed(ctx, tx, article)
	b.log.InfoContext(ctx, "self-served", "user", m.User.Key(), "article", article)
	return []chat.Reply{{Text: "Great, glad that fixed it! I've noted it as solved — no ticket needed. If it comes back, just message me again."}}, true, nil
}

// awaitingKBAnswer reports whether the sender's report in m's place is
// waiting for an answer to its KB offer.
func (b *Bot) awaitingKBAnswer(ctx context.Context, m chat.Message) bool {
	return b.AwaitingKBAnswer(ctx, m.Place(), m.User)
}

// AwaitingKBAnswer reports whether user's report in place is waiting for
// an answer to its KB offer, so an adapter takes an offer's buttons away
// only for the press that answers it (not a bystander's, not a late one).
func (b *Bot) AwaitingKBAnswer(ctx context.Context, place tickets.Place, user tickets.Person) bool {
	s, err := loadIntake(ctx, b.store, conversationKey(place, user))
	return err == nil && s.Stage == stageKB
}
