package config

import (
	"fmt"
	"net/url"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
)

// llmSection is the llm: section: an optional OpenAI-compatible server.
type llmSection struct {
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

// LLM is the resolved llm: section. Without a BaseURL the bot is fully
// offline. The API key is not here: it is read from the environment only.
type LLM struct {
	BaseURL, Model string
	// Timeout bounds one call to the server; Budget bounds how long a
	// person waits for the model during intake.
	Timeout, Budget time.Duration
	// MaxConcurrency is the calls in flight at once, CacheSize the answers
	// kept for identical requests, Candidates how many search results the
	// model re-ranks.
	MaxConcurrency, CacheSize, Candidates int
	// Rerank, Extract and Draft turn each use of the model on.
	Rerank, Extract, Draft bool
}

// resolve applies the defaults and checks the llm: section.
func (c llmSection) resolve() (LLM, error) {
	s := LLM{BaseURL: c.BaseURL, Model: c.Model, MaxConcurrency: c.MaxConcurrency, CacheSize: c.CacheSize, Candidates: c.Candidates,
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
