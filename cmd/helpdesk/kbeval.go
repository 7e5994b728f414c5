package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// kbEvalFlags are the options of "helpdesk kb eval".
type kbEvalFlags struct {
	kbPath, qPath, configPath, qid string
	explain, llm, fit              bool
	limit                          int
}

// kbEval measures ranking quality on an evaluation set: the figures overall
// and per source, the effect of each offer threshold, and with --explain
// why queries ranked as they did.
func kbEval(args []string, e env) int {
	fs := flag.NewFlagSet("kb eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var f kbEvalFlags
	fs.StringVar(&f.kbPath, "kb", "", "articles, JSONL: {\"id\",\"title\",\"body\"} per line")
	fs.StringVar(&f.qPath, "queries", "", "queries, JSONL: {\"qid\",\"query\",\"relevant\":{\"id\":1}} per line")
	fs.StringVar(&f.configPath, "config", "", "config file: its kb.min_score is marked in the threshold table, its llm section is used by --llm")
	fs.BoolVar(&f.explain, "explain", false, "explain the ranking of the queries whose best article was wrong (or of --qid)")
	fs.StringVar(&f.qid, "qid", "", "with --explain: explain this query only")
	fs.IntVar(&f.limit, "limit", 5, "with --explain: how many queries to explain")
	fs.BoolVar(&f.fit, "fit", false, "refit the offer model on these queries (5-fold cross-validation) and print it as Go, with the held-out figures")
	fs.BoolVar(&f.llm, "llm", false, "also measure re-ranking by the LLM server of the config's llm section")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if f.kbPath == "" || f.qPath == "" {
		fmt.Fprint(e.stderr, "helpdesk kb eval: both --kb and --queries are needed, e.g. helpdesk kb eval --kb ../shared/eval/kb.jsonl --queries ../shared/eval/queries-dev.jsonl\n")
		return 2
	}
	if f.limit < 1 {
		fmt.Fprintf(e.stderr, "helpdesk kb eval: --limit %d is out of range; use 1 or more\n", f.limit)
		return 2
	}
	cfg, err := config.Load(f.configPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk kb eval: %v\n", err)
		return 1
	}
	arts, err := loadJSONL(f.kbPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk kb eval: %v\n", err)
		return 1
	}
	qs, err := loadQueries(f.qPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk kb eval: %v\n", err)
		return 1
	}
	if f.fit {
		fit := kb.FitOfferModel(arts, qs, kb.FitFolds, kb.DefaultThresholds)
		fmt.Fprintf(e.stdout, "Offer threshold, each query scored by the model fitted on the other %d folds (by relevant article):\n", fit.Folds)
		fit.HeldOut.Write(e.stdout, cfg.Bot.KBMinScore)
		fmt.Fprintln(e.stdout, "\nOffer threshold on half the queries (by relevant article), scored by the model fitted on the other half only:")
		fit.SplitHalf.Write(e.stdout, cfg.Bot.KBMinScore)
		fmt.Fprintln(e.stdout, "\nModel fitted on every query, for kb/offermodel.go:")
		fit.Write(e.stdout)
		return 0
	}
	ix := kb.NewIndex(arts)
	if f.explain {
		return explainQueries(e.stdout, e.stderr, ix, qs, f.qid, f.limit)
	}
	kb.Evaluate(ix, qs).Write(e.stdout)
	fmt.Fprintf(e.stdout, "\nOffer threshold (kb.min_score; offers of 1 to %d articles, each clearing the bar):\n", kb.OfferDepth)
	kb.EvaluateThresholds(arts, qs, kb.DefaultThresholds).Write(e.stdout, cfg.Bot.KBMinScore)
	if f.llm {
		return llmEval(e, cfg, ix, qs)
	}
	return 0
}

// loadQueries reads an evaluation query file.
func loadQueries(path string) ([]kb.Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := kb.LoadQueries(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s holds no queries", path)
	}
	return qs, nil
}

// explainQueries prints why queries ranked as they did: query qid, or the
// first limit queries whose best article is not a relevant one.
func explainQueries(w, errw io.Writer, ix *kb.Index, qs []kb.Query, qid string, limit int) int {
	n := 0
	for _, q := range qs {
		if qid != "" && q.ID != qid {
			continue
		}
		if qid == "" {
			res := ix.Search(q.Text, 1)
			if len(res) > 0 && q.Relevant[res[0].Article.ID] > 0 {
				continue
			}
		}
		ex := ix.Explain(q.Text, 5)
		fmt.Fprintf(w, "%s — relevant: %s%s\n", q.ID, relevantIDs(q), rankOfRelevant(ix, q))
		ex.Write(w)
		fmt.Fprintln(w)
		if n++; n >= limit {
			break
		}
	}
	if n == 0 {
		if qid != "" {
			fmt.Fprintf(errw, "helpdesk kb eval: no query has qid %q\n", qid)
			return 1
		}
		fmt.Fprintln(w, "Every query's best article is a relevant one; give --qid ID to explain one.")
	}
	return 0
}

// relevantIDs lists the relevant article IDs of q, sorted.
func relevantIDs(q kb.Query) string {
	var ids []string
	for id, g := range q.Relevant {
		if g > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// rankOfRelevant says where the first relevant article of q ranks.
func rankOfRelevant(ix *kb.Index, q kb.Query) string {
	for i, r := range ix.Search(q.Text, 100) {
		if q.Relevant[r.Article.ID] > 0 {
			return fmt.Sprintf(" (ranked %d)", i+1)
		}
	}
	return " (not in the top 100)"
}
