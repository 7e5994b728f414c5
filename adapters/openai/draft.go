package openai

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// SummaryMarker starts every ticket summary written by a model, so nobody
// takes it for an agent's own words.
const SummaryMarker = "DRAFT summary written by a model; check it against the ticket before relying on it:"

// maxSummaryRunes bounds a ticket summary.
const maxSummaryRunes = 1200

// DraftArticle asks the model to rewrite the offline draft of an article
// from a resolved ticket. The answer must parse as an article with the
// offline draft's ID and keep the draft marker, so it is still reviewed
// before publishing.
func (c *Client) DraftArticle(ctx context.Context, facts kb.TicketFacts, offline kb.Draft) (kb.Draft, error) {
	var out kb.Draft
	err := c.complete(ctx, call{task: "draft", tokens: 1200,
		data: map[string]any{"Facts": safeFacts(facts), "Draft": offline.Markdown}}, func(answer string) error {
		md := unfence(answer) + "\n"
		if !kb.IsDraft(md) {
			return fmt.Errorf("openai: draft: %w: no draft marker", errInvalid)
		}
		a, err := kb.ParseArticle([]byte(md), "llm:"+offline.ID)
		if err != nil {
			return fmt.Errorf("openai: draft: %w: %w", errInvalid, err)
		}
		if a.ID != offline.ID {
			return fmt.Errorf("openai: draft: %w: id %q, want %q", errInvalid, a.ID, offline.ID)
		}
		out = kb.Draft{ID: offline.ID, Markdown: md}
		return nil
	})
	return out, err
}

// SummarizeTicket asks the model for a short summary of a long ticket for
// the next tier. The summary starts with SummaryMarker.
func (c *Client) SummarizeTicket(ctx context.Context, facts kb.TicketFacts) (string, error) {
	var out string
	err := c.complete(ctx, call{task: "summary", tokens: 300, data: map[string]any{"Facts": safeFacts(facts)}}, func(answer string) error {
		s := strings.TrimSpace(unfence(answer))
		if utf8.RuneCountInString(s) > maxSummaryRunes {
			return fmt.Errorf("openai: summary: %w: %d characters", errInvalid, utf8.RuneCountInString(s))
		}
		out = SummaryMarker + "\n" + s
		return nil
	})
	return out, err
}

// safeFacts is facts with the person's text made safe for the prompt's
// delimiters.
func safeFacts(f kb.TicketFacts) kb.TicketFacts {
	f.Title, f.Symptom, f.Device, f.Error, f.Resolution = userText(f.Title), userText(f.Symptom), userText(f.Device), userText(f.Error), userText(f.Resolution)
	f.Steps = mapText(f.Steps)
	f.Handoff = mapText(f.Handoff)
	return f
}

func mapText(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = userText(s)
	}
	return out
}

// unfence removes a code fence around a whole answer, as models often add.
func unfence(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return s
	}
	inner := strings.TrimSuffix(s[3:], "```")
	if nl := strings.IndexByte(inner, '\n'); nl >= 0 {
		inner = inner[nl+1:] // drop the language tag line
	}
	return strings.TrimSpace(inner)
}
