package bot

import (
	"context"
	"errors"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// modelDraft asks the Drafter to improve the offline draft of an article.
// Its text is used only when it parses as an article with the offline
// draft's ID and still carries the draft marker, so it is never published
// unreviewed; otherwise the offline draft stands.
func (b *Bot) modelDraft(ctx context.Context, facts kb.TicketFacts, offline kb.Draft) kb.Draft {
	if b.llm.drafter == nil {
		return offline
	}
	d, err := b.llm.drafter.DraftArticle(ctx, facts, offline)
	if err == nil {
		var ok bool
		if d.Markdown, ok = modelText(d.Markdown); !ok {
			err = errors.New("model draft is too long")
		}
	}
	if err == nil {
		err = checkModelDraft(d, offline.ID)
	}
	if err != nil {
		b.log.DebugContext(ctx, "kb draft: offline draft kept", "err", err)
		return offline
	}
	return kb.Draft{ID: offline.ID, Markdown: d.Markdown}
}

// checkModelDraft reports why a model's draft cannot be used as the draft
// of article id.
func checkModelDraft(d kb.Draft, id string) error {
	if !kb.IsDraft(d.Markdown) {
		return errors.New("model draft lacks the draft marker")
	}
	a, err := kb.ParseArticle([]byte(d.Markdown), id)
	if err != nil {
		return err
	}
	if a.ID != id {
		return errors.New("model draft changed the article id")
	}
	return nil
}
