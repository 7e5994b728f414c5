package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

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
// everything said so far but the vague messages that made the desk ask
// what is broken, and the error message. Those messages hold only words
// that say something is wrong ("it's broken"), which would match any
// article that says them ("New, lost or broken phone") beside the one the
// answer is about.
func (s *intakeState) offerQuery() string {
	said := slices.Clone(s.Messages[min(s.Vague, len(s.Messages)):])
	if s.Vague > 0 {
		// What the vague messages were about ("my laptop is broken")
		// still is.
		said = append(said, s.Fields[tickets.FieldDevice], s.Fields[tickets.FieldApp])
	}
	return strings.Join(append(said, s.Fields[tickets.FieldError]), " ")
}

// vagueAbout reports whether the report in s names what it is about, a
// device or an app, and nothing of what is wrong with it: "my laptop is
// broken", "Outlook doesn't work". Search would go by the words that only
// say something is wrong ("broken" is in the title of the article on a
// broken phone), so the desk asks what happens instead. thing is how the
// question names it.
func (s *intakeState) vagueAbout() (thing string, ok bool) {
	query := s.offerQuery()
	subject := map[string]bool{}
	for _, f := range []string{tickets.FieldDevice, tickets.FieldApp} {
		v := strings.ToLower(s.Fields[f])
		if v == "" {
			continue
		}
		subject[alnum(v)] = true
		for _, w := range strings.Fields(v) {
			subject[alnum(w)] = true
		}
	}
	if len(subject) == 0 {
		return "", false
	}
	var rest []string
	for _, w := range strings.Fields(query) {
		if !subject[alnum(strings.ToLower(w))] {
			rest = append(rest, w)
		}
	}
	if len(rest) == len(strings.Fields(query)) {
		return "", false
	}
	for w := range extract.ContentWords(strings.Join(rest, " ")) {
		if !saysNothingWrong[w] {
			return "", false // "keeps crashing", "says offline": what happens
		}
	}
	if d := s.Fields[tickets.FieldDevice]; d != "" {
		return "your " + d, true
	}
	app := s.Fields[tickets.FieldApp]
	if strings.ToUpper(app) == app || strings.Contains(app, "-") {
		return "the " + app, true // "the VPN", "the Wi-Fi"; but "Outlook"
	}
	return app, true
}

// saysNothingWrong are the words of a report that say something is wrong
// with a thing but not what: "broken", "not working", "a problem". Unlike
// kb's vague words, "crashes", "error" or "stopped" say what happens.
var saysNothingWrong = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`broken break breaks broke work works working worked problem problems issue issues
		wrong bad weird strange properly correctly right something anything thing things stuff help please
		doesn doesnt don dont isn isnt won wont not can cant cannot anymore again today still just really
		kaputt funktioniert funktionieren geht defekt problem hilfe roto rota funciona problema ayuda
		cassé casse marche fonctionne problème panne aide`) {
		m[w] = true
	}
	return m
}()

// alnum is w with only its letters and digits: "wi-fi" is "wifi".
func alnum(w string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, w)
}

// offer is what the KB proposes for query: search weighs its best
// results (as many as a Reranker sees, at least kb.OfferCandidates).
func (b *Bot) offer(query string) kb.Offer {
	return b.kb.Offer(query, max(kb.OfferCandidates, b.llm.depth))
}

// candidates are the articles that clear the offer's bar for query (see
// kb.Offer.Pick), best first: at most KBSuggestions, none when search is
// not sure enough or the report is vague. A Reranker orders these, and
// only these: it never brings in an article search is unsure of.
func (b *Bot) candidates(query string) []kb.Result {
	return b.offer(query).Pick(b.conf().KBMinScore, b.conf().KBSuggestions)
}

// suggest orders the candidates picked for an offer: in the model's order
// where it gave one (order holds article IDs; those not among res are
// ignored, and articles it left out follow in search order).
func suggest(res []kb.Result, order []string) []kb.Result {
	if len(order) > 0 {
		res = slices.Clone(res)
		rank := func(r kb.Result) int {
			if i := slices.Index(order, r.Article.ID); i >= 0 {
				return i
			}
			return len(order)
		}
		slices.SortStableFunc(res, func(x, y kb.Result) int { return rank(x) - rank(y) })
	}
	return res
}

// clarifyQuestion is asked, once, of a report that names nothing to look
// for ("it's broken"): articles picked for it would be guesses.
var clarifyQuestion = question{field: tickets.FieldSymptom,
	text: "What exactly isn't working? Name the app, device or service and what happens, for example: \"Outlook closes as soon as I open it\" or \"the printer on floor 2 says offline\"."}

// offerArticles searches the KB with everything said so far and offers the
// articles that clear the bar, tier-0 self-service before a technician
// spends time. A vague report is asked what is broken instead (once; the
// offer is made on the answer). Nothing is offered when search is not
// sure enough: ok is false and intake goes on to its questions. order is
// the model's ranking, if any. An offer never sets the report's category
// or fields: the articles are guesses until the person says one fixed it.
func (b *Bot) offerArticles(ctx context.Context, tx tickets.Tx, s *intakeState, order []string) ([]chat.Reply, bool) {
	o := b.offer(s.offerQuery())
	if (o.Vague || extract.OnlyLinks(s.offerQuery())) && !s.Clarified {
		s.Clarified, s.Vague = true, len(s.Messages)
		return b.ask(s, clarifyQuestion), true
	}
	if thing, ok := s.vagueAbout(); ok && !s.Clarified {
		s.Clarified, s.Vague = true, len(s.Messages)
		q := clarifyQuestion
		q.text = fmt.Sprintf("What exactly is wrong with %s? Say what happens: what you try and what it does instead, or the error it shows.", thing)
		return b.ask(s, q), true
	}
	s.KBDone = true
	var offered []offeredArticle
	s.Offered = s.Offered[:0]
	for _, r := range suggest(o.Pick(b.conf().KBMinScore, b.conf().KBSuggestions), order) {
		offered = append(offered, offeredArticle{N: len(offered) + 1, ID: r.Article.ID, Title: r.Article.Title, Summary: r.Article.Summary})
		s.Offered = append(s.Offered, r.Article.ID)
	}
	if len(offered) == 0 {
		return nil, false
	}
	s.Stage = stageKB
	b.countOffered(ctx, tx, s.Offered...)
	return []chat.Reply{{Text: b.render("kb_offer", map[string]any{"Articles": offered}), Buttons: kbButtons()}}, true
}

func kbButtons() []tickets.Button {
	return []tickets.Button{
		{Label: "This fixed it", Action: chat.ActionKBFixed},
		{Label: "Still broken", Action: chat.ActionKBNotFixed},
	}
}

// kbAnswer applies the answer to a KB offer (see extract.ParseOfferAnswer):
// "that worked" (or the article's number) closes the report as
// self-served, "still locked" goes on to the ticket's questions; anything
// else is taken as more detail, and the question put again.
func (b *Bot) kbAnswer(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) ([]chat.Reply, bool, error) {
	a := extract.ParseOfferAnswer(t.msg.Text)
	switch {
	case a.Fixed:
		return b.selfServed(ctx, tx, t.msg, s, a.Article)
	case a.NotFixed:
		b.articlesDeclined(s)
		// "no, Outlook still says 0x800CCC0E" answers more than the offer:
		// what it says is kept, and not asked again.
		if otherFacts(t.ex) {
			b.absorb(s, t.ex, "")
			s.keep(t.msg.Text)
		}
		return b.advance(ctx, tx, t, s)
	}
	if separateProblem(s, t, false) {
		r := b.keepForLater(s, t, offerAgain(len(s.Offered), true))
		r[0].Buttons = kbButtons()
		return r, false, nil
	}
	if notes := b.absorb(s, t.ex, ""); len(notes) > 0 {
		s.keep(t.msg.Text)
		return []chat.Reply{{Text: strings.Join(notes, "\n") + "\n\n" + offerAgain(len(s.Offered), false)}}, false, nil
	}
	return []chat.Reply{{Text: offerAgain(len(s.Offered), true), Buttons: kbButtons()}}, false, nil
}

// offerAgain puts the offer's question again, of one article or several;
// full says what each answer does.
func offerAgain(articles int, full bool) string {
	switch {
	case articles == 1 && full:
		return "Did the article above fix it? Reply \"yes\" if it did, or \"no\" and I'll open a ticket."
	case articles == 1:
		return "Did that article fix it? Reply \"yes\" or \"no\"."
	case full:
		return "Did one of the articles above fix it? Reply \"yes\" (or its number) if it did, or \"no\" and I'll open a ticket."
	}
	return "Did one of those articles fix it? Reply \"yes\" or \"no\"."
}

// kbDeclinedField is the ticket field naming the articles the requester
// was shown and said did not fix the problem. They are not steps the
// person took (nobody knows whether they followed them), so they are kept
// apart from the steps, and the person is still asked what they tried.
const kbDeclinedField = "kb_declined"

// articlesDeclined records the articles of the offer the requester
// declined: their IDs (tickets.FieldArticles) and their titles, so the
// technician does not suggest them again.
func (b *Bot) articlesDeclined(s *intakeState) {
	var titles []string
	for _, id := range s.Offered {
		if a, ok := b.kb.Article(id); ok {
			titles = append(titles, fmt.Sprintf("%s (/article %s)", a.Title, a.ID))
		}
	}
	if len(titles) > 0 {
		s.Fields[tickets.FieldArticles] = strings.Join(s.Offered, ",")
		s.Fields[kbDeclinedField] = strings.Join(titles, "; ")
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
