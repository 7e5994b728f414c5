package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// kbUsage is what "helpdesk kb -h" prints.
const kbUsage = `Usage:
  helpdesk kb search [-config FILE] [-kb FILE.jsonl] [-k N] "text"
      Show the knowledge-base articles ranked for a text, with scores and
      whether the desk would offer them.
  helpdesk kb eval --kb ARTICLES.jsonl --queries QUERIES.jsonl [--explain] [--fit] [--llm]
      Measure ranking: R@1, R@5, MRR@10 and queries per second.
"helpdesk kb search -h" and "helpdesk kb eval -h" list every flag.
`

// runKB runs "helpdesk kb search|eval".
func runKB(args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, "helpdesk kb: say what to do: \"kb search TEXT\" or \"kb eval --kb FILE --queries FILE\".\n")
		return 2
	}
	switch args[0] {
	case "search":
		return kbSearch(args[1:], e)
	case "eval":
		return kbEval(args[1:], e)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, kbUsage)
		return 0
	}
	fmt.Fprintf(e.stderr, "helpdesk kb: unknown subcommand %q; use search or eval.\n", args[0])
	return 2
}

func kbSearch(args []string, e env) int {
	fs := flag.NewFlagSet("kb search", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", "config file whose kb.dir to search (default: built-in KB)")
	jsonl := fs.String("kb", "", "search a JSONL article file instead ({\"id\",\"title\",\"body\"} per line)")
	k := fs.Int("k", 5, "how many articles to show")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if query == "" {
		fmt.Fprint(e.stderr, "helpdesk kb search: give a text to search for, e.g. helpdesk kb search \"vpn won't connect\"\n")
		return 2
	}
	if *k < 1 || *k > 100 {
		fmt.Fprintf(e.stderr, "helpdesk kb search: -k %d is out of range; use 1 to 100\n", *k)
		return 2
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk kb search: %v\n", err)
		return 1
	}
	var index interface {
		Offer(query string, k int) kb.Offer
	}
	if *jsonl != "" {
		arts, err := loadJSONL(*jsonl)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk kb search: %v\n", err)
			return 1
		}
		index = kb.NewIndex(arts)
	} else {
		base, _, err := loadKB(cfg.KBDir)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk kb search: %v\n", err)
			return 1
		}
		// Articles published at the desk are searched too, when there is a
		// database to read them from (a search never creates one).
		if !hasDatabase(cfg.Database, e) {
			index = kb.NewIndex(base)
		} else {
			ctx := context.Background()
			st, shown, err := openStore(ctx, cfg, e)
			if err != nil {
				fmt.Fprintf(e.stderr, "helpdesk kb search: database %s: %v\n", shown, err)
				return 1
			}
			defer st.Close()
			live, err := kb.OpenLive(ctx, base, st)
			if err != nil {
				fmt.Fprintf(e.stderr, "helpdesk kb search: some published articles were left out: %v\n", err)
			}
			index = live
		}
	}
	writeOffer(e.stdout, index.Offer(query, max(*k, kb.OfferCandidates)), *k, cfg.Bot.KBMinScore, cfg.Bot.KBSuggestions)
	return 0
}

// writeOffer prints the top k results of o with their score and
// confidence, marks those the desk would offer at minScore (at most n),
// and says why it would offer them or not.
func writeOffer(w io.Writer, o kb.Offer, k int, minScore float64, n int) {
	if o.Vague {
		fmt.Fprintln(w, "That names nothing to search for: the desk asks what is broken instead of offering articles.")
		return
	}
	if len(o.Results) == 0 {
		fmt.Fprintln(w, "No article matches that text.")
		return
	}
	picked := o.Pick(minScore, n)
	for i, r := range o.Results[:min(k, len(o.Results))] {
		mark := ""
		if i < len(picked) {
			mark = "  offered"
		}
		fmt.Fprintf(w, "%2d. %7.3f  conf %.3f  %-40s  %s%s\n", i+1, r.Score, r.Confidence, r.Article.ID, r.Article.Title, mark)
	}
	verdict := fmt.Sprintf("offers %d", len(picked))
	if len(picked) == 0 {
		verdict = "offers nothing and asks its questions"
	}
	fmt.Fprintf(w, "Offer confidence %.3f against kb.min_score %.3f: the desk %s.\n", o.Confidence, minScore, verdict)
}

// hasDatabase reports whether the configured database exists to be read:
// a PostgreSQL URL (in the config or HELPDESK_DATABASE_URL), or a SQLite
// file already there.
func hasDatabase(database string, e env) bool {
	if e.env(databaseURLEnv) != "" || isPostgresURL(database) {
		return true
	}
	_, err := os.Stat(database)
	return err == nil
}

func loadJSONL(path string) ([]kb.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	arts, err := kb.LoadJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(arts) == 0 {
		return nil, fmt.Errorf("%s holds no articles", path)
	}
	return arts, nil
}
