package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// rerankAnswer is the only answer shape accepted for a re-ranking.
type rerankAnswer struct {
	Ranking []string `json:"ranking"`
}

// candidate is one article as the model sees it.
type candidate struct{ ID, Title, Summary string }

// Rerank asks the model to order cands for report. It returns the
// candidates the model ranked, in its order; the caller keeps the others
// after them. An answer that is not exactly {"ranking":[ids]} with known,
// distinct IDs is an error, so nothing outside cands can be returned.
func (c *Client) Rerank(ctx context.Context, report string, cands []kb.Result) ([]kb.Result, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	byID := make(map[string]kb.Result, len(cands))
	list := make([]candidate, len(cands))
	for i, r := range cands {
		byID[r.Article.ID] = r
		list[i] = candidate{ID: oneLine(r.Article.ID), Title: oneLine(r.Article.Title), Summary: oneLine(r.Article.Summary)}
	}
	var out []kb.Result
	err := c.complete(ctx, call{task: "rerank", json: true, tokens: 40 + 20*len(cands),
		data: map[string]any{"Report": userText(report), "Candidates": list}}, func(answer string) error {
		ids, err := parseRanking(answer)
		if err != nil {
			return err
		}
		out = out[:0]
		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			r, ok := byID[id]
			if !ok {
				return fmt.Errorf("openai: rerank: %w: %q is not a candidate", errInvalid, id)
			}
			if seen[id] {
				return fmt.Errorf("openai: rerank: %w: %q ranked twice", errInvalid, id)
			}
			seen[id] = true
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseRanking reads {"ranking":["id",...]}: one JSON object, that key
// only, at least one ID.
func parseRanking(answer string) ([]string, error) {
	dec := json.NewDecoder(strings.NewReader(answer))
	dec.DisallowUnknownFields()
	var a rerankAnswer
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("openai: rerank: %w: %w", errInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("openai: rerank: %w: text after the JSON object", errInvalid)
	}
	if len(a.Ranking) == 0 {
		return nil, fmt.Errorf("openai: rerank: %w: empty ranking", errInvalid)
	}
	return a.Ranking, nil
}

// userText makes a person's text safe to put between the prompt's
// delimiters: angle brackets become look-alikes, so the text cannot close
// its <report> block and pose as instructions.
func userText(s string) string {
	return strings.NewReplacer("<", "‹", ">", "›").Replace(strings.TrimSpace(s))
}

// oneLine folds s onto one line for a "id | title | summary" row.
func oneLine(s string) string {
	s = userText(s)
	s = strings.ReplaceAll(s, "|", "/")
	return string(bytes.Join(bytes.Fields([]byte(s)), []byte(" ")))
}
