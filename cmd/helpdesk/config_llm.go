package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
)

// llmKeyEnv names the environment variable holding the LLM server's API
// key; the key is never read from the config file. Unset sends no key, as
// a local Ollama, vLLM or llama.cpp server expects.
const llmKeyEnv = "HELPDESK_LLM_API_KEY"

// llmConfig is the llm: section: an optional OpenAI-compatible server.
type llmConfig struct {
	BaseURL        string `yaml:"base_url"`
	Model          string `yaml:"model"`
	Timeout        string `yaml:"timeout"`
	Budget         string `yaml:"budget"`
	MaxConcurrency int    `yaml:"max_concurrency"`
	CacheSize      int    `yaml:"cache_size"`
	Candidates     int    `yaml:"candidates"`
	Rerank         *bool  `yaml:"rerank"`
	Extract        *bool  `yaml:"extract"`
	Draft          *bool  `yaml:"draft"`
}

// llmSettings is the resolved llm: section. Without a BaseURL the bot is
// fully offline.
type llmSettings struct {
	BaseURL, Model                        string
	Timeout, Budget                       time.Duration
	MaxConcurrency, CacheSize, Candidates int
	Rerank, Extract, Draft                bool
}

// resolve applies the defaults and checks the llm: section.
func (c llmConfig) resolve() (llmSettings, error) {
	s := llmSettings{BaseURL: c.BaseURL, Model: c.Model, MaxConcurrency: c.MaxConcurrency, CacheSize: c.CacheSize, Candidates: c.Candidates,
		Rerank: c.Rerank == nil || *c.Rerank, Extract: c.Extract == nil || *c.Extract, Draft: c.Draft == nil || *c.Draft}
	var err error
	if s.Timeout, err = duration("llm.timeout", c.Timeout, 20*time.Second); err != nil {
		return s, err
	}
	if s.Budget, err = duration("llm.budget", c.Budget, bot.DefaultLLMBudget); err != nil {
		return s, err
	}
	if s.MaxConcurrency == 0 {
		s.MaxConcurrency = 4
	} else if s.MaxConcurrency < 0 || s.MaxConcurrency > 256 {
		return s, fmt.Errorf("llm.max_concurrency: %d is out of range; use 1 to 256", c.MaxConcurrency)
	}
	if s.CacheSize == 0 {
		s.CacheSize = 512
	} else if s.CacheSize < 0 {
		return s, fmt.Errorf("llm.cache_size: %d is out of range; use 1 or more", c.CacheSize)
	}
	if s.Candidates == 0 {
		s.Candidates = bot.DefaultRerankDepth
	} else if s.Candidates < 2 || s.Candidates > 50 {
		return s, fmt.Errorf("llm.candidates: %d is out of range; use 2 to 50", c.Candidates)
	}
	if s.BaseURL == "" {
		return s, nil
	}
	if u, err := url.Parse(s.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return s, fmt.Errorf("llm.base_url: %q is not an http(s) URL; write it like http://localhost:11434/v1", c.BaseURL)
	}
	if s.Model == "" {
		return s, fmt.Errorf("llm.model: needed with llm.base_url; name the model the server runs, e.g. llama3.1:8b")
	}
	return s, nil
}

// newLLMClient returns the client for s, or nil when no server is set.
func newLLMClient(s llmSettings, getenv func(string) string, log *slog.Logger) (*openai.Client, error) {
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

// wire sets the model collaborators s turns on in opts; c nil leaves the
// bot offline.
func (s llmSettings) wire(c *openai.Client, opts *bot.Options) {
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
