package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Knowledge from resolved tickets: an agent drafts an article from a
// resolved ticket (/kbdraft), agents edit it (/kbedit), an admin publishes
// it (/kbpublish) and it is offered in search at once.

// ArticleStore keeps the articles written at the desk; kb.Store (the
// SQLite store) implements it.
type ArticleStore interface {
	// SaveDraft creates the article or replaces its working copy.
	SaveDraft(ctx context.Context, a *kb.StoredArticle) error
	// Draft returns the article with id, or an error wrapping
	// kb.ErrNotFound.
	Draft(ctx context.Context, id string) (*kb.StoredArticle, error)
	// PublishArticle makes the working copy the published text and
	// returns the article as stored.
	PublishArticle(ctx context.Context, id, by string, at time.Time) (*kb.StoredArticle, error)
}

// Publisher is a Searcher that takes a newly published article into search
// at once, as kb.Live does.
type Publisher interface {
	Publish(a kb.Article)
}

// articleStore is where the articles written at the desk are kept, or a
// plain sentence when this desk has none.
func (b *Bot) articleStore() (ArticleStore, error) {
	if b.articles == nil {
		return nil, tickets.Errorf(tickets.EINVALID, "Writing knowledge-base articles is not set up on this help desk.")
	}
	return b.articles, nil
}

// kbDraft writes an article draft from a resolved or closed ticket, or
// shows the draft already written from it.
func (b *Bot) kbDraft(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	store, err := b.articleStore()
	if err != nil {
		return nil, err
	}
	id, _, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.can(r.cmd, t) {
		return nil, a.refuse(r.cmd, t)
	}
	if t.Status != tickets.StatusResolved && t.Status != tickets.StatusClosed {
		return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s. Articles are drafted from resolved tickets, once it is known what fixed the problem: resolve it first with /resolve %d what fixed it.", t.Ref(), t.Status, t.ID)
	}
	evs, err := b.store.Events(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	facts := publishableFacts(ticketFacts(t, evs, b.kb))
	d, err := kb.DraftFromTicket(facts)
	if err != nil {
		return nil, err
	}
	existing, err := store.Draft(ctx, d.ID)
	switch {
	case err == nil:
		state := "a draft"
		if existing.IsPublished() {
			state = "published"
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s already has an article, %s (%s). Here is its current text; edit it with /kbedit %s.\n\n%s",
			t.Ref(), existing.ID, state, existing.ID, fenced(existing.Markdown)), Ephemeral: true}}, nil
	case !errors.Is(err, kb.ErrNotFound):
		return nil, err
	}
	d = b.modelDraft(ctx, facts, d)
	now := b.now()
	who := m.User.Key()
	if err := store.SaveDraft(ctx, &kb.StoredArticle{ID: d.ID, TicketID: t.ID, Markdown: d.Markdown,
		CreatedBy: who, CreatedAt: now, UpdatedBy: who, UpdatedAt: now}); err != nil {
		return nil, err
	}
	b.log.InfoContext(ctx, "kb draft written", "ticket", t.ID, "article", d.ID, "by", who)
	return []chat.Reply{{Text: fmt.Sprintf("Drafted article %s from %s. Review it: check the steps, remove names and anything internal, and delete the DRAFT line. "+
		"Then send it back with /kbedit %s followed by the whole article on the next lines; an admin publishes it with /kbpublish %s.\n\n%s",
		d.ID, t.Ref(), d.ID, d.ID, fenced(d.Markdown)), Ephemeral: true}}, nil
}

// kbEdit replaces an article's working copy with the markdown after its
// ID, or shows the working copy when there is none.
func (b *Bot) kbEdit(ctx context.Context, r request) ([]chat.Reply, error) {
	store, err := b.articleStore()
	if err != nil {
		return nil, err
	}
	id, markdown := splitArticleArgs(r.args)
	if id == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Which article? Usage: %s", r.cmd.usage())
	}
	cur, err := kbArticle(ctx, store, id)
	if err != nil {
		return nil, err
	}
	if err := b.mayEditArticle(ctx, r.a, cur); err != nil {
		return nil, err
	}
	if markdown == "" {
		return []chat.Reply{{Text: fmt.Sprintf("Article %s as it is now. To change it, send /kbedit %s followed by the whole new text on the next lines.\n\n%s",
			id, id, fenced(cur.Markdown)), Ephemeral: true}}, nil
	}
	art, err := kb.ParseArticle([]byte(markdown), id)
	if err != nil {
		return nil, tickets.Errorf(tickets.EINVALID, "I didn't save that: %s. Fix it and send /kbedit %s again with the whole article; the saved text is unchanged.", articleProblem(err), id)
	}
	if art.ID != id {
		return nil, tickets.Errorf(tickets.EINVALID, "I didn't save that: its id line says %q, but you are editing %s. Keep the line 'id: %s'.", art.ID, id, id)
	}
	if err := store.SaveDraft(ctx, &kb.StoredArticle{ID: id, Markdown: markdown + "\n", UpdatedBy: r.m.User.Key(), UpdatedAt: b.now()}); err != nil {
		return nil, err
	}
	var next string
	switch {
	case kb.IsDraft(markdown):
		next = "It still has the DRAFT line; delete that line once it is reviewed, so it can be published."
	case cur.IsPublished():
		next = fmt.Sprintf("Search still shows the published version until an admin runs /kbpublish %s.", id)
	default:
		next = fmt.Sprintf("An admin can publish it now with /kbpublish %s.", id)
	}
	return []chat.Reply{{Text: fmt.Sprintf("Saved article %s, %q. %s", id, art.Title, next), Ephemeral: true}}, nil
}

// kbPublish makes an article's reviewed working copy its published text
// and adds it to search.
func (b *Bot) kbPublish(ctx context.Context, r request) ([]chat.Reply, error) {
	m := r.m
	store, err := b.articleStore()
	if err != nil {
		return nil, err
	}
	id, _ := splitArticleArgs(r.args)
	if id == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Which article? Usage: %s", r.cmd.usage())
	}
	cur, err := kbArticle(ctx, store, id)
	if err != nil {
		return nil, err
	}
	if kb.IsDraft(cur.Markdown) {
		return nil, tickets.Errorf(tickets.ECONFLICT, "%s still has its DRAFT line, so nobody has reviewed it yet. An agent reviews it and saves it without that line (/kbedit %s shows the text); then publish it.", id, id)
	}
	if _, err := kb.ParseArticle([]byte(cur.Markdown), id); err != nil {
		return nil, tickets.Errorf(tickets.EINVALID, "%s can't be published: %s. Fix it with /kbedit %s first.", id, articleProblem(err), id)
	}
	pub, err := store.PublishArticle(ctx, id, m.User.Key(), b.now())
	if err != nil {
		return nil, err
	}
	art, err := kb.ParseArticle([]byte(pub.PublishedMarkdown), kb.PublishedSource(id))
	if err != nil {
		// Saved texts are checked before they are stored; this is a bug.
		return nil, fmt.Errorf("kbpublish %s: stored article does not parse: %w", id, err)
	}
	b.log.InfoContext(ctx, "kb article published", "article", id, "by", m.User.Key())
	live, ok := b.kb.(Publisher)
	if !ok {
		return []chat.Reply{{Text: fmt.Sprintf("Published %s, %q. It will be offered in search after the bot restarts.", id, art.Title)}}, nil
	}
	live.Publish(art)
	return []chat.Reply{{Text: fmt.Sprintf("Published %s, %q. It is offered in search from now on; /article %s shows it.", id, art.Title, id)}}, nil
}

// mayEditArticle refuses a draft of a ticket the agent may not work: the
// draft is written from the ticket, so reading or changing it needs the
// same right as the ticket (tier, ownership or assignment; managers and
// admins all).
func (b *Bot) mayEditArticle(ctx context.Context, a actor, art *kb.StoredArticle) error {
	if art.TicketID == 0 {
		return nil
	}
	t, err := b.store.Ticket(ctx, art.TicketID)
	if isNotFound(err) {
		return nil // its ticket is gone; the article stands on its own
	} else if err != nil {
		return err
	}
	if a.reaches(t) {
		return nil
	}
	return tickets.Errorf(tickets.EFORBIDDEN, "Article %s was drafted from %s, which is at tier %d, above yours (%d); ask a tier %d agent or a manager to review it.", art.ID, t.Ref(), t.Tier, a.Agent.Tier, t.Tier)
}

// publishableFacts is what of a ticket may go into an article that anyone
// may read once published: the problem, the steps, what fixed it. Handoff
// notes are for agents — they may name the person, their account or
// things they were not told — so they stay out; internal notes never come
// in at all.
func publishableFacts(f kb.TicketFacts) kb.TicketFacts {
	f.Handoff = nil
	return f
}

// kbArticle returns stored article id, with a plain not-found message.
func kbArticle(ctx context.Context, store ArticleStore, id string) (*kb.StoredArticle, error) {
	a, err := store.Draft(ctx, id)
	if errors.Is(err, kb.ErrNotFound) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "There is no drafted article %q. Draft one from a resolved ticket with /kbdraft N; built-in articles are changed in their files.", id)
	}
	return a, err
}

// countArticleUse counts a use of each article in tx, with the change that
// caused it, so a redelivered event is not counted twice. Counting is
// statistics: a store whose transactions cannot count is skipped, and a
// failure is logged without failing the change.
func (b *Bot) countArticleUse(ctx context.Context, tx tickets.Tx, use kb.Use, ids ...string) {
	c, ok := tx.(kb.UseCounter)
	if !ok {
		return
	}
	now := b.now()
	for _, id := range ids {
		if id == "" {
			continue
		}
		if err := c.CountUse(ctx, id, use, 1, now); err != nil {
			b.log.ErrorContext(ctx, "count article use", "article", id, "use", use, "err", err)
		}
	}
}

// countOffered counts the articles offered during intake, in tx.
func (b *Bot) countOffered(ctx context.Context, tx tickets.Tx, ids ...string) {
	b.countArticleUse(ctx, tx, kb.UseOffered, ids...)
}

// countFixed counts the article marked "this fixed it", in tx.
func (b *Bot) countFixed(ctx context.Context, tx tickets.Tx, id string) {
	b.countArticleUse(ctx, tx, kb.UseFixed, id)
}

// countOpened counts an article read in full with /article, once per
// inbound event.
func (b *Bot) countOpened(ctx context.Context, m chat.Message, id string) {
	_, err := b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		b.countArticleUse(ctx, tx, kb.UseOpened, id)
		return nil, nil
	})
	if err != nil {
		b.log.ErrorContext(ctx, "count article opened", "article", id, "err", err)
	}
}

// ticketFacts is what t and its events tell a draft. Articles the
// requester tried are named by title.
func ticketFacts(t *tickets.Ticket, evs []*tickets.Event, s Searcher) kb.TicketFacts {
	f := kb.TicketFacts{
		Number:     t.ID,
		Title:      t.Summary,
		Category:   string(t.Category),
		Symptom:    t.Fields[tickets.FieldSymptom],
		Device:     t.Fields[tickets.FieldDevice],
		Error:      t.Fields[tickets.FieldError],
		Resolution: t.Resolution,
	}
	// Older tickets end their steps with "tried KB articles: title; title";
	// the articles come from tickets.FieldArticles either way.
	own, _, _ := strings.Cut(t.Fields[tickets.FieldSteps], "tried KB articles:")
	f.Steps = splitSteps(own)
	for _, id := range strings.Split(t.Fields[tickets.FieldArticles], ",") {
		if a, ok := s.Article(strings.TrimSpace(id)); ok {
			f.Steps = append(f.Steps, fmt.Sprintf("the article %q (/article %s)", a.Title, a.ID))
		}
	}
	for _, e := range evs {
		if e.Kind == tickets.EventEscalated && strings.TrimSpace(e.Text) != "" {
			f.Handoff = append(f.Handoff, e.Text)
		}
	}
	return f
}

// splitArticleArgs splits "ID" and the markdown on the lines after it. A
// code fence around the markdown, as chat clients add, is removed.
func splitArticleArgs(args string) (id, markdown string) {
	args = strings.TrimSpace(args)
	end := strings.IndexAny(args, " \t\n")
	if end < 0 {
		return args, ""
	}
	id, markdown = args[:end], strings.TrimSpace(args[end:])
	if strings.HasPrefix(markdown, "```") && strings.HasSuffix(markdown, "```") && len(markdown) >= 6 {
		inner := strings.TrimSuffix(markdown[3:], "```")
		// Drop a language tag on the opening fence ("```markdown").
		if nl := strings.IndexByte(inner, '\n'); nl >= 0 && strings.IndexFunc(inner[:nl], func(r rune) bool {
			return !unicode.IsLetter(r)
		}) < 0 {
			inner = inner[nl+1:]
		}
		markdown = strings.TrimSpace(inner)
	}
	return id, markdown
}

// articleProblem is the plain sentence of a kb.ParseArticle error, without
// its "kb: source: invalid article:" prefix.
func articleProblem(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, kb.ErrInvalidArticle.Error()+": "); ok {
		msg = rest
	}
	return strings.TrimRight(msg, ".")
}

// fenced puts markdown in a code block so chat shows it as typed.
func fenced(markdown string) string {
	return "```\n" + strings.TrimSpace(markdown) + "\n```"
}
