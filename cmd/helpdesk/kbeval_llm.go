package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// llmRun is the outcome of re-ranking one query.
type llmRun struct {
	offline, reranked []kb.Result
	took              time.Duration
	failed            bool
}

// llmEval measures re-ranking by the configured LLM server: the same
// queries ranked offline and re-ranked by the model (falling back to the
// offline order as the bot does), with the fallbacks by reason.
func llmEval(e env, cfg config.Config, ix *kb.Index, qs []kb.Query) int {
	if cfg.LLM.BaseURL == "" {
		fmt.Fprint(e.stderr, "helpdesk kb eval: --llm needs a server: set llm.base_url and llm.model in the file given with -config\n")
		return 2
	}
	client, err := newLLMClient(cfg.LLM, e.getenv, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk kb eval: %v\n", err)
		return 1
	}
	runs := make([]llmRun, len(qs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range cfg.LLM.MaxConcurrency {
		wg.Go(func() {
			for i := range next {
				runs[i] = rerankQuery(client, cfg.LLM, ix, qs[i])
			}
		})
	}
	for i := range qs {
		next <- i
	}
	close(next)
	wg.Wait()
	writeLLMEval(e.stdout, cfg.LLM, qs, runs, client.Stats())
	return 0
}

// rerankQuery ranks q offline and has the model re-rank the candidates.
func rerankQuery(c *openai.Client, s config.LLM, ix *kb.Index, q kb.Query) llmRun {
	r := llmRun{offline: ix.Search(q.Text, s.Candidates)}
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	start := time.Now()
	got, err := c.Rerank(ctx, q.Text, r.offline)
	r.took = time.Since(start)
	if err != nil {
		r.reranked, r.failed = r.offline, true
		return r
	}
	seen := make(map[string]bool, len(got))
	for _, g := range got {
		seen[g.Article.ID] = true
	}
	r.reranked = append([]kb.Result(nil), got...)
	for _, o := range r.offline {
		if !seen[o.Article.ID] {
			r.reranked = append(r.reranked, o)
		}
	}
	return r
}

// writeLLMEval prints offline against re-ranked quality, the call latency
// and the fallbacks.
func writeLLMEval(w io.Writer, s config.LLM, qs []kb.Query, runs []llmRun, st *openai.Stats) {
	var off, llm [3]float64
	lat := make([]time.Duration, 0, len(runs))
	failed := 0
	for i, r := range runs {
		a, b := rankFigures(r.offline, qs[i].Relevant), rankFigures(r.reranked, qs[i].Relevant)
		for j := range off {
			off[j] += a[j]
			llm[j] += b[j]
		}
		lat = append(lat, r.took)
		if r.failed {
			failed++
		}
	}
	n := float64(len(runs))
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Fprintf(w, "\nLLM re-ranking (%s at %s, top %d candidates, %d queries):\n", s.Model, s.BaseURL, s.Candidates, len(runs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ranking\tR@1\tR@5\tMRR@10\t")
	fmt.Fprintf(tw, "offline\t%.3f\t%.3f\t%.3f\t\n", off[0]/n, off[1]/n, off[2]/n)
	fmt.Fprintf(tw, "LLM re-ranked\t%.3f\t%.3f\t%.3f\t\n", llm[0]/n, llm[1]/n, llm[2]/n)
	tw.Flush()
	fmt.Fprintf(w, "calls: p50 %s, p99 %s; fell back to offline on %d of %d (timeouts %d, HTTP errors %d, refusals %d, invalid answers %d)\n",
		lat[len(lat)/2].Round(time.Millisecond), lat[min(len(lat)-1, len(lat)*99/100)].Round(time.Millisecond),
		failed, len(runs), st.Timeouts.Load(), st.HTTPErrors.Load(), st.Refusals.Load(), st.Invalid.Load())
}

// rankFigures is Recall@1, Recall@5 and the reciprocal rank in the top 10
// of one ranking, as kb.Evaluate counts them.
func rankFigures(res []kb.Result, relevant map[string]int) [3]float64 {
	nrel := 0
	for _, g := range relevant {
		if g > 0 {
			nrel++
		}
	}
	var f [3]float64
	if nrel == 0 {
		return f
	}
	for i, r := range res {
		if i >= 10 {
			break
		}
		if relevant[r.Article.ID] <= 0 {
			continue
		}
		if f[2] == 0 {
			f[2] = 1 / float64(i+1)
		}
		if i < 1 {
			f[0]++
		}
		if i < 5 {
			f[1]++
		}
	}
	f[0], f[1] = f[0]/float64(nrel), f[1]/float64(nrel)
	return f
}
