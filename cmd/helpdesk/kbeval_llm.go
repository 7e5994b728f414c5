package main

import (
	"fmt"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// llmEval measures re-ranking by the configured LLM server.
func llmEval(e env, cfg Config, ix *kb.Index, qs []kb.Query) int {
	fmt.Fprintln(e.stderr, "helpdesk kb eval: --llm is not available yet")
	return 1
}
