package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Check asks the server which models it serves (GET /models) and whether
// the configured one is among them, as helpdesk doctor does. The bot works
// without the server, so a failure says it would run offline.
func (c *Client) Check(ctx context.Context) chat.Check {
	r := c.check(ctx)
	if r.Status != chat.CheckOK {
		r.Detail += "; until it answers, the bot works without it, offline"
	}
	return r
}

func (c *Client) check(ctx context.Context) chat.Check {
	const name = "llm server"
	list, err := c.api.ListModels(ctx)
	if err != nil {
		var api *goopenai.APIError
		var req *goopenai.RequestError
		status := 0
		if errors.As(err, &api) {
			status = api.HTTPStatusCode
		} else if errors.As(err, &req) {
			status = req.HTTPStatusCode
		}
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return chat.Failed(name, fmt.Sprintf("%s refused the API key (%d)", c.baseURL, status), "set HELPDESK_LLM_API_KEY to a key the server takes")
		case status == http.StatusNotFound:
			return chat.Failed(name, c.baseURL+"/models is not there", "llm.base_url should be the API's base, usually ending in /v1 (http://localhost:11434/v1 for Ollama)")
		case status != 0:
			return chat.Failed(name, fmt.Sprintf("%s answered %d to /models", c.baseURL, status), "check the server's log")
		}
		return chat.Failed(name, fmt.Sprintf("cannot reach %s: %v", c.baseURL, err),
			"start the server (for Ollama: ollama serve), or correct llm.base_url, or remove it to run offline")
	}
	var ids []string
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	if !slices.Contains(ids, c.model) {
		have := strings.Join(ids, ", ")
		if have == "" {
			have = "none"
		}
		return chat.Failed(name, fmt.Sprintf("%s does not serve the model %q (it has: %s)", c.baseURL, c.model, have),
			fmt.Sprintf("load it on the server (for Ollama: ollama pull %s) or set llm.model to one it has", c.model))
	}
	return chat.Passed(name, fmt.Sprintf("%s serves %s", c.baseURL, c.model))
}
