package config

import (
	"strings"
	"testing"
)

func TestLLM(t *testing.T) {
	cfg, err := load(t, "llm:\n  base_url: http://localhost:11434/v1\n  model: llama3.1:8b\n  budget: 500ms\n  extract: false\n")
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.LLM; l.Model != "llama3.1:8b" || l.Budget.Milliseconds() != 500 || l.Extract || !l.Rerank || !l.Draft || l.Candidates != 10 {
		t.Errorf("llm settings %+v", l)
	}
	for yaml, want := range map[string]string{
		"llm: {base_url: localhost:11434}\n":           "llm.base_url",
		"llm: {base_url: http://localhost:11434/v1}\n": "llm.model: needed",
		"llm: {budget: soon}\n":                        "llm.budget",
		"llm: {candidates: 1}\n":                       "llm.candidates: 1 is out of range",
		"llm: {api_key: sk-1}\n":                       "api_key",
	} {
		if _, err := load(t, yaml); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", yaml, err, want)
		}
	}
}
