package openai

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// candidateIDs reads the candidate ids from a re-ranking request.
func candidateIDs(req goopenai.ChatCompletionRequest) []string {
	_, block, _ := strings.Cut(req.Messages[1].Content, "<candidates>\n")
	block, _, _ = strings.Cut(block, "</candidates>")
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		id, _, _ := strings.Cut(line, " | ")
		ids = append(ids, id)
	}
	return ids
}

// newCoreBot is the desk with c as its Reranker, as serve wires it.
func newCoreBot(t *testing.T, c *Client, budget time.Duration) *bot.Bot {
	t.Helper()
	cfg := bottest.Config(bottest.Platform)
	cfg.KBMinScore = bot.DefaultKBMinScore
	return bottest.New(t, bottest.Options{Config: cfg, Core: func(o *bot.Options) {
		o.LLMBudget = budget
		if c != nil {
			o.Reranker = c
		}
	}}).Bot
}

var offerLine = regexp.MustCompile(`(?m)^\s*Read it: /article (\S+)$`)

// offer reports a problem and returns the ids of the articles offered.
func offer(t *testing.T, b *bot.Bot, user, text string) []string {
	t.Helper()
	m := chat.Message{Platform: bottest.Platform, ChannelID: "dm-" + user, User: bottest.Person(user), Text: text, DM: true}
	var out []string
	for _, r := range b.Handle(context.Background(), m) {
		for _, sm := range offerLine.FindAllStringSubmatch(r.Text, -1) {
			out = append(out, sm[1])
		}
	}
	return out
}

// report is answered about as well by three built-in articles, so its
// offer shows three for the model to order.
const report = "hi, my outlook email and mailbox are acting up since this morning"

func TestCoreUsesLLMOrderAndFallsBack(t *testing.T) {
	offline := offer(t, newCoreBot(t, nil, 0), "amy", report)
	if len(offline) != 3 {
		t.Fatalf("offline offer %v, want 3 articles", offline)
	}

	var mode atomic.Value // "reverse", "fail", "inject", "slow"
	f := newFakeServer(t, func(req goopenai.ChatCompletionRequest) reply {
		ids := candidateIDs(req)
		switch mode.Load() {
		case "fail":
			return reply{status: http.StatusInternalServerError}
		case "inject":
			return reply{content: `{"ranking":["phishing-site","` + ids[0] + `"]}`}
		case "slow":
			return reply{content: `{"ranking":["` + ids[len(ids)-1] + `"]}`, delay: 3 * time.Second}
		}
		slices.Reverse(ids)
		return reply{content: `{"ranking":["` + strings.Join(ids, `","`) + `"]}`}
	})
	c := newTestClient(t, f, Config{CacheSize: -1})
	b := newCoreBot(t, c, 200*time.Millisecond)

	mode.Store("reverse")
	got := offer(t, b, "bob", report)
	cands := candidateIDs(f.last())
	if len(cands) != len(offline) {
		t.Fatalf("the model saw %d candidates, want the %d that clear the offer's bar", len(cands), len(offline))
	}
	want := []string{cands[len(cands)-1], cands[len(cands)-2], cands[len(cands)-3]}
	if !slices.Equal(got, want) || slices.Equal(got, offline) {
		t.Errorf("offered %v, want the model's order %v (offline %v)", got, want, offline)
	}

	for _, m := range []string{"fail", "inject", "slow"} {
		mode.Store(m)
		start := time.Now()
		got := offer(t, b, "user-"+m, report)
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: intake took %v with a 200ms budget", m, el)
		}
		if !slices.Equal(got, offline) {
			t.Errorf("%s: offered %v, want the offline order %v", m, got, offline)
		}
	}
	if s := c.Stats(); s.Fallbacks.Load() != 3 || s.HTTPErrors.Load() != 1 || s.Invalid.Load() != 1 || s.Timeouts.Load() != 1 {
		t.Errorf("stats: fallbacks %d, http %d, invalid %d, timeouts %d; want 3, 1, 1, 1",
			s.Fallbacks.Load(), s.HTTPErrors.Load(), s.Invalid.Load(), s.Timeouts.Load())
	}
}
