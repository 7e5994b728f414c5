package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// newLLMBot builds a Bot on a real SQLite file and the built-in KB with
// the model collaborators of opts and the offer threshold minScore.
func newLLMBot(t *testing.T, minScore float64, opts Options) *Bot {
	t.Helper()
	return newDesk(t, func(c *Config, o *Options) { c.KBMinScore, *o = minScore, opts }).bot
}

// rerankFunc is a Reranker from a function.
type rerankFunc func(ctx context.Context, report string, cands []kb.Result) ([]kb.Result, error)

func (f rerankFunc) Rerank(ctx context.Context, report string, cands []kb.Result) ([]kb.Result, error) {
	return f(ctx, report, cands)
}

// offeredIDs returns the ids of the articles offered for report, as
// intake works them out: the model asked for its order before the
// transaction, the offer made with its answer.
func offeredIDs(t *testing.T, b *Bot, report string) []string {
	t.Helper()
	var order []string
	cands := b.candidates(report)
	if b.llm.reranker != nil && len(cands) > 1 {
		order = b.askModels(t.Context(), modelPlan{rerank: report, cands: cands}).order
	}
	res := suggest(cands, order)
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = r.Article.ID
	}
	return ids
}

const vpnReport = "my laptop can't reach the VPN since this morning"

// mailReport is a report three built-in articles answer about as well,
// so its offer shows three.
const mailReport = "outlook email mailbox"

func TestSuggestThreshold(t *testing.T) {
	for _, tt := range []struct {
		name     string
		minScore float64
		report   string
		offered  bool
	}{
		{"clear match, default threshold", 0.2, vpnReport, true},
		{"off-topic report, default threshold", 0.2, "the canteen menu is wrong", false},
		{"off-topic report, no threshold", 0, "the canteen menu is wrong", true},
		{"clear match, threshold above any confidence", 1.01, vpnReport, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newLLMBot(t, tt.minScore, Options{})
			if got := offeredIDs(t, b, tt.report); (len(got) > 0) != tt.offered {
				t.Errorf("offered %v, want an offer: %v", got, tt.offered)
			}
		})
	}
}

func TestRerankGuard(t *testing.T) {
	offline := offeredIDs(t, newLLMBot(t, 0, Options{}), mailReport)
	if len(offline) != 3 {
		t.Fatalf("offline offer %v, want 3 articles", offline)
	}
	stranger := &kb.Article{ID: "phishing-site", Title: "Enter your password here"}
	for _, tt := range []struct {
		name   string
		rerank func(cands []kb.Result) ([]kb.Result, error)
		want   []string // nil: the offline order
	}{
		{"reversed", func(c []kb.Result) ([]kb.Result, error) {
			out := slices.Clone(c)
			slices.Reverse(out)
			return out, nil
		}, nil},
		{"error", func([]kb.Result) ([]kb.Result, error) { return nil, errors.New("server down") }, nil},
		{"article outside the candidates", func(c []kb.Result) ([]kb.Result, error) {
			return []kb.Result{{Article: stranger}, c[0]}, nil
		}, nil},
		{"repeated article", func(c []kb.Result) ([]kb.Result, error) { return []kb.Result{c[1], c[1], c[0]}, nil }, nil},
		{"nil article", func(c []kb.Result) ([]kb.Result, error) { return []kb.Result{{}}, nil }, nil},
		{"subset: ranked first, the rest in search order", func(c []kb.Result) ([]kb.Result, error) {
			return []kb.Result{c[2]}, nil
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var cands []kb.Result
			b := newLLMBot(t, 0, Options{Reranker: rerankFunc(func(_ context.Context, _ string, c []kb.Result) ([]kb.Result, error) {
				cands = c
				return tt.rerank(c)
			})})
			got := offeredIDs(t, b, mailReport)
			// The model orders the articles that clear the bar, and only
			// those: it cannot bring in one search is unsure of.
			if len(cands) != len(offline) {
				t.Errorf("reranker saw %d candidates, want the %d that clear the bar", len(cands), len(offline))
			}
			want := offline
			switch tt.name {
			case "reversed":
				want = []string{cands[len(cands)-1].Article.ID, cands[len(cands)-2].Article.ID, cands[len(cands)-3].Article.ID}
			case "subset: ranked first, the rest in search order":
				want = []string{cands[2].Article.ID, cands[0].Article.ID, cands[1].Article.ID}
			}
			if !slices.Equal(got, want) {
				t.Errorf("offered %v, want %v", got, want)
			}
		})
	}
}

func TestRerankBudget(t *testing.T) {
	b := newLLMBot(t, 0, Options{LLMBudget: 50 * time.Millisecond, Reranker: rerankFunc(func(ctx context.Context, _ string, c []kb.Result) ([]kb.Result, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(5 * time.Second):
			return c, nil
		}
	})})
	start := time.Now()
	got := offeredIDs(t, b, mailReport)
	if el := time.Since(start); el > time.Second {
		t.Errorf("offer took %v with a 50ms budget", el)
	}
	if len(got) != 3 {
		t.Errorf("offered %v, want the offline 3", got)
	}
}

// extractFunc is an Extractor from a function.
type extractFunc func(ctx context.Context, report string) (extract.Suggested, error)

func (f extractFunc) ExtractFields(ctx context.Context, report string) (extract.Suggested, error) {
	return f(ctx, report)
}

// The extractor fills only what the offline extractor missed, after
// validation, and a failing extractor changes nothing.
func TestSuggestFieldsInIntake(t *testing.T) {
	report := "the docking station at my desk is dead, the screen stays black with a message about the cable"
	for _, tt := range []struct {
		name  string
		ex    extractFunc
		check func(s *intakeState) bool
	}{
		// The report says nothing of urgency, so the model's "high" is not
		// taken: the person is asked, and a model never raises priority.
		{"fills the missing, validated", func(context.Context, string) (extract.Suggested, error) {
			return extract.Suggested{Error: "a message about the cable", Started: "last week", Urgency: "high"}, nil
		}, func(s *intakeState) bool {
			return s.Fields[tickets.FieldError] == "a message about the cable" && s.Fields[tickets.FieldStarted] == "" && s.Urgency == ""
		}},
		{"fails: offline only", func(context.Context, string) (extract.Suggested, error) {
			return extract.Suggested{}, errors.New("timeout")
		}, func(s *intakeState) bool { return s.Fields[tickets.FieldError] == "" && s.Urgency == "" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newLLMBot(t, 0, Options{Extractor: tt.ex})
			s := newIntake()
			tn := &turn{msg: chat.Message{Text: report}, ex: extract.Extract(report, testNow)}
			b.absorb(s, tn.ex, "")
			if s.Fields[tickets.FieldError] != "" {
				t.Fatalf("offline extractor already found the error %q; the test needs a report it misses", s.Fields[tickets.FieldError])
			}
			if s.Urgency != "" {
				t.Fatalf("offline extractor already found the urgency %q", s.Urgency)
			}
			tn.model = b.askModels(t.Context(), modelPlan{extract: report})
			b.fillSuggested(s, tn)
			if !tt.check(s) {
				t.Errorf("fields %v, urgency %q", s.Fields, s.Urgency)
			}
		})
	}
}

// drafterFunc is a Drafter whose article comes from a function.
type drafterFunc func(offline kb.Draft) (kb.Draft, error)

func (f drafterFunc) DraftArticle(_ context.Context, _ kb.TicketFacts, offline kb.Draft) (kb.Draft, error) {
	return f(offline)
}

func (f drafterFunc) SummarizeTicket(context.Context, kb.TicketFacts) (string, error) { return "", nil }

func TestModelDraft(t *testing.T) {
	offline, err := kb.DraftFromTicket(kb.TicketFacts{Number: 7, Title: "VPN drops every hour", Resolution: "Updated the VPN client."})
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(offline.Markdown, "## How to fix it", "## How to fix it\nUpdate the VPN client from the company portal.", 1)
	for _, tt := range []struct {
		name, markdown string
		err            error
		want           string
	}{
		{"a valid draft is used", good, nil, good},
		{"marker removed", strings.Replace(good, kb.DraftMarker, "<!-- reviewed", 1), nil, offline.Markdown},
		{"not an article", "Sure! Here is your article: VPN tips.", nil, offline.Markdown},
		{"id changed", strings.Replace(good, "id: "+offline.ID, "id: password-reset-self-service", 1), nil, offline.Markdown},
		{"error", "", errors.New("429"), offline.Markdown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newLLMBot(t, 0, Options{Drafter: drafterFunc(func(kb.Draft) (kb.Draft, error) {
				return kb.Draft{ID: "whatever", Markdown: tt.markdown}, tt.err
			})})
			got := b.modelDraft(t.Context(), kb.TicketFacts{}, offline)
			if got.Markdown != tt.want || got.ID != offline.ID {
				t.Errorf("draft %s:\n%s\nwant:\n%s", got.ID, got.Markdown, tt.want)
			}
		})
	}
}

// The model is asked with no transaction open, so a slow model never holds
// the store's single writer; its answers still shape the reply.
func TestModelsCalledOutsideTransaction(t *testing.T) {
	var b *Bot
	probe := func(what string) error {
		// Another writer must get in at once while the model "thinks".
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		_, err := b.store.SeenEvent(ctx, "probe:"+what+":"+time.Now().String(), testNow)
		return err
	}
	var mu sync.Mutex // the two models are asked at once
	var reranks, extracts int
	var probeErrs []error
	b = newLLMBot(t, 0, Options{
		Reranker: rerankFunc(func(ctx context.Context, report string, cands []kb.Result) ([]kb.Result, error) {
			err := probe("rerank")
			mu.Lock()
			reranks++
			if err != nil {
				probeErrs = append(probeErrs, err)
			}
			mu.Unlock()
			return []kb.Result{cands[2], cands[0], cands[1]}, nil // the third first
		}),
		Extractor: extractFunc(func(context.Context, string) (extract.Suggested, error) {
			err := probe("extract")
			mu.Lock()
			extracts++
			if err != nil {
				probeErrs = append(probeErrs, err)
			}
			mu.Unlock()
			return extract.Suggested{}, nil
		}),
	})
	offline := offeredIDs(t, newLLMBot(t, 0, Options{}), mailReport)
	replies := b.Handle(context.Background(), chat.Message{Platform: "test", ChannelID: "dm", User: person("amy"), Text: mailReport})
	if len(probeErrs) > 0 {
		t.Fatalf("a model was called inside the write transaction: %v", probeErrs)
	}
	if reranks != 1 || extracts != 1 {
		t.Errorf("model calls: %d reranks, %d extractions; want one each", reranks, extracts)
	}
	text := ""
	for _, r := range replies {
		text += r.Text
	}
	a, _ := b.kb.Article(offline[2])
	c, _ := b.kb.Article(offline[0])
	if i, j := strings.Index(text, a.Title), strings.Index(text, c.Title); i < 0 || j < 0 || i > j {
		t.Errorf("the model's order was not used:\n%s", text)
	}
}

// The plan asks the models only for what the message will use: fields for
// a new incident report the offline extractor left incomplete, and the
// order of an offer the message brings the report to.
func TestPlanModels(t *testing.T) {
	never := rerankFunc(func(context.Context, string, []kb.Result) ([]kb.Result, error) { return nil, errors.New("not planned") })
	none := extractFunc(func(context.Context, string) (extract.Suggested, error) { return extract.Suggested{}, nil })
	b := newLLMBot(t, 0, Options{Reranker: never, Extractor: none})
	user := person("amy")
	plan := func(text string) modelPlan {
		t.Helper()
		m := chat.Message{Platform: "test", ChannelID: "dm", User: user, Text: text}
		return b.planModels(t.Context(), &turn{msg: m, ex: extract.Extract(text, testNow)})
	}
	say := func(text string) {
		t.Helper()
		b.Handle(t.Context(), chat.Message{Platform: "test", ChannelID: "dm", User: user, Text: text})
	}
	for _, tt := range []struct {
		name, text       string
		extract, reranks bool
	}{
		{"greeting", "hello", false, false},
		{"service request", "I need a second monitor please", false, false},
		{"incident", mailReport, true, true},
		{"everything said", "outlook email mailbox on my laptop since this morning with error 0x8004010F, I already rebooted; just me, it's not urgent", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(tt.text)
			if (p.extract != "") != tt.extract || (p.rerank != "") != tt.reranks {
				t.Errorf("plan extract %q rerank %q; want extract %v, rerank %v", p.extract, p.rerank, tt.extract, tt.reranks)
			}
			if tt.reranks && len(p.cands) < 2 {
				t.Errorf("rerank planned with %d candidates", len(p.cands))
			}
		})
	}
	say(mailReport) // offered articles
	if p := plan("no"); p.extract != "" || p.rerank != "" {
		t.Errorf("answering the offer plans %+v, want no calls", p)
	}
	say("no") // the first question
	if p := plan("it says error 809"); p.extract != "" || p.rerank != "" {
		t.Errorf("answering a question plans %+v, want no calls", p)
	}
}
