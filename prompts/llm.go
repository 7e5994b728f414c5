package prompts

import (
	"embed"
	"fmt"
	"text/template"
)

//go:embed llm/*.tmpl
var llmFiles embed.FS

// LoadLLM parses the embedded language-model prompt templates
// (llm/*.tmpl): for each task a system prompt, which holds only the
// instructions, and a user message, which holds the person's text between
// delimiters as data.
func LoadLLM() (*Messages, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(llmFiles, "llm/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("prompts: parse llm: %w", err)
	}
	return &Messages{t: t}, nil
}
