package openai

import (
	"context"
	"strings"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name   string
		models []string
		status int
		down   bool
		want   chat.CheckStatus
		words  []string
	}{
		{"served", []string{"llama3.1:8b", "test-model"}, 0, false, chat.CheckOK, []string{"serves test-model"}},
		{"model missing", []string{"llama3.1:8b"}, 0, false, chat.CheckFail, []string{`"test-model"`, "it has: llama3.1:8b", "ollama pull test-model"}},
		{"key refused", nil, 401, false, chat.CheckFail, []string{"refused the API key (401)", "HELPDESK_LLM_API_KEY", "offline"}},
		{"wrong base URL", nil, 404, false, chat.CheckFail, []string{"/models is not there", "/v1"}},
		{"server down", nil, 0, true, chat.CheckFail, []string{"cannot reach", "ollama serve", "offline"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeServer(t, func(goopenai.ChatCompletionRequest) reply { return reply{} })
			f.models, f.modelsStatus = c.models, c.status
			cl := newTestClient(t, f, Config{APIKey: "k"})
			if c.down {
				f.Close()
			}
			got := cl.Check(context.Background())
			if got.Status != c.want {
				t.Errorf("status %d, want %d: %+v", got.Status, c.want, got)
			}
			for _, w := range c.words {
				if !strings.Contains(got.Detail+" "+got.Fix, w) {
					t.Errorf("%q does not say %q", got.Detail+" → "+got.Fix, w)
				}
			}
			if !c.down && f.auth[len(f.auth)-1] != "Bearer k" {
				t.Errorf("key sent as %q", f.auth[len(f.auth)-1])
			}
		})
	}
}
