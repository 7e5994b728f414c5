package bot

import (
	"context"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// offeredArticle is what the KB offer template shows.
type offeredArticle struct {
	N       int
	ID      string
	Title   string
	Summary string
}

// offerArticles searches the KB with everything said so far and offers the
// best articles, tier-0 self-service before a technician spends time.
// Nothing is offered when search is not sure enough (see suggest).
func (b *Bot) offerArticles(ctx context.Context, s *intakeState) (chat.Reply, bool) {
	query := strings.Join(append(append([]string{}, s.Messages...), s.Fields[tickets.FieldError]), " ")
	var offered []offeredArticle
	s.Offered = s.Offered[:0]
	for _, r := range b.suggest(ctx, query) {
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
	if !rehearsing(ctx) {
		b.log.InfoContext(ctx, "self-served", "user", m.User.Key(), "article", article)
	}
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
	conv, err := b.store.Conversation(ctx, conversationKey(place, user))
	if err != nil {
		return false
	}
	s, err := loadIntake(conv)
	return err == nil && s.Stage == stageKB
}
