package main

import (
	"fmt"
	"log/slog"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

// llmKeyEnv names the environment variable holding the LLM server's API
// key; the key is never read from the config file. Unset sends no key, as
// a local Ollama, vLLM or llama.cpp server expects.
const llmKeyEnv = config.EnvLLMAPIKey

// newLLMClient returns the client for s, or nil when no server is set.
func newLLMClient(s config.LLM, getenv func(string) string, log *slog.Logger) (*openai.Client, error) {
	if s.BaseURL == "" {
		return nil, nil
	}
	key := ""
	if getenv != nil {
		key = getenv(llmKeyEnv)
	}
	c, err := openai.New(openai.Config{BaseURL: s.BaseURL, Model: s.Model, APIKey: key, Timeout: s.Timeout,
		MaxConcurrency: s.MaxConcurrency, CacheSize: s.CacheSize, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	return c, nil
}

// wireLLM sets the model collaborators s turns on in opts; c nil leaves
// the bot offline.
func wireLLM(s config.LLM, c *openai.Client, opts *bot.Options) {
	if c == nil {
		return
	}
	opts.LLMBudget, opts.RerankDepth = s.Budget, s.Candidates
	if s.Rerank {
		opts.Reranker = c
	}
	if s.Extract {
		opts.Extractor = c
	}
	if s.Draft {
		opts.Drafter = c
	}
}
