package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

// fakeRanker is an OpenAI-compatible server on loopback that ranks the
// candidates in reverse, or fails every other call when flaky.
func fakeRanker(t *testing.T, flaky bool) (url string, calls *atomic.Int32) {
	t.Helper()
	calls = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/v1/chat/completions" || (flaky && n%2 == 0) {
			http.Error(w, `{"error":{"message":"down"}}`, http.StatusInternalServerError)
			return
		}
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		_, block, _ := strings.Cut(req.Messages[1].Content, "<candidates>\n")
		block, _, _ = strings.Cut(block, "</candidates>")
		var ids []string
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			id, _, _ := strings.Cut(line, " | ")
			ids = append(ids, id)
		}
		slices.Reverse(ids)
		answer, _ := json.Marshal(map[string][]string{"ranking": ids})
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": string(answer)}}}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1", calls
}

func TestKBEvalLLM(t *testing.T) {
	kbFile, qFile := evalFiles(t)
	for _, tt := range []struct {
		name  string
		flaky bool
		want  []string
	}{
		// q3's answer is second offline; reversed, it comes first.
		{"reversed", false, []string{"LLM re-ranked 1.000 1.000 1.000", "fell back to offline on 0 of 3"}},
		{"flaky", true, []string{"fell back to offline on 1 of 3", "HTTP errors 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url, calls := fakeRanker(t, tt.flaky)
			cfgFile := writeFile(t, "c.yaml", "llm:\n  base_url: "+url+"\n  model: fake\n  max_concurrency: 1\n")
			out, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--llm", "-config", cfgFile)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			out = strings.Join(strings.Fields(out), " ")
			for _, want := range append(tt.want, "offline 0.667 1.000 0.833", "fake at http://127.0.0.1") {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if calls.Load() != 3 {
				t.Errorf("server saw %d calls, want one per query", calls.Load())
			}
		})
	}
	if _, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--llm"); code != 2 || !strings.Contains(errOut, "set llm.base_url") {
		t.Errorf("--llm without a server: exit %d, %s", code, errOut)
	}
}

func TestLLMWire(t *testing.T) {
	var opts bot.Options
	wireLLM(config.LLM{}, nil, &opts)
	if opts.Reranker != nil || opts.Extractor != nil || opts.Drafter != nil {
		t.Error("offline settings wired a model")
	}
	cfg, err := config.Load(writeFile(t, "c.yaml", "llm: {base_url: http://127.0.0.1:1/v1, model: m, extract: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.LLM
	c, err := newLLMClient(s, func(string) string { return "" }, nil)
	if err != nil || c == nil {
		t.Fatalf("client %v, %v", c, err)
	}
	wireLLM(s, c, &opts)
	if opts.Reranker == nil || opts.Extractor != nil || opts.Drafter == nil || opts.LLMBudget != s.Budget || opts.RerankDepth != 10 {
		t.Errorf("wired %+v", opts)
	}
}
