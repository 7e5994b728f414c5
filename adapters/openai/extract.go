package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// extractAnswer is the only answer shape accepted for an extraction.
type extractAnswer struct {
	Device   string   `json:"device"`
	Error    string   `json:"error"`
	Started  string   `json:"started"`
	Steps    []string `json:"steps"`
	Category string   `json:"category"`
	Impact   string   `json:"impact"`
	Urgency  string   `json:"urgency"`
}

// ExtractFields asks the model for the intake fields of report. The shape
// is checked here; the values are checked by the bot (extract.Suggested.Check)
// as the offline extractor's are, before any is used.
func (c *Client) ExtractFields(ctx context.Context, report string) (extract.Suggested, error) {
	cats := make([]string, len(tickets.Categories))
	for i, cat := range tickets.Categories {
		cats[i] = string(cat)
	}
	var out extract.Suggested
	err := c.complete(ctx, call{task: "extract", json: true, tokens: 300,
		data: map[string]any{"Report": userText(report), "Categories": cats}}, func(answer string) error {
		dec := json.NewDecoder(strings.NewReader(answer))
		dec.DisallowUnknownFields()
		var a extractAnswer
		if err := dec.Decode(&a); err != nil {
			return fmt.Errorf("openai: extract: %w: %w", errInvalid, err)
		}
		if dec.More() {
			return fmt.Errorf("openai: extract: %w: text after the JSON object", errInvalid)
		}
		out = extract.Suggested(a)
		return nil
	})
	return out, err
}
