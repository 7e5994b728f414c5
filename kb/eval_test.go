package kb

import (
	"bytes"
	"errors"
	"io/fs"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// The evaluation data lives next to the repository; tests skip without it.
const (
	evalArticles = "../../shared/eval/kb.jsonl"
	evalQueries  = "../../shared/eval/queries-dev.jsonl"
)

func TestEvaluateHandComputed(t *testing.T) {
	ix := NewIndex([]Article{
		{ID: "aa-1", Title: "alpha"},
		{ID: "bb-1", Title: "bravo"},
		{ID: "aa-2", Title: "charlie delta"},
		{ID: "bb-2", Title: "charlie"},
	})
	qs := []Query{
		{ID: "q1", Text: "alpha", Relevant: map[string]int{"aa-1": 1}},                    // rank 1
		{ID: "q2", Text: "zulu", Relevant: map[string]int{"bb-1": 1}},                     // no results
		{ID: "q3", Text: "charlie delta", Relevant: map[string]int{"bb-2": 1}},            // rank 2
		{ID: "q4", Text: "charlie delta", Relevant: map[string]int{"aa-2": 1, "bb-1": 1}}, // 1 of 2 at rank 1
		{ID: "q5", Text: "bravo", Relevant: map[string]int{"bb-1": 0, "aa-1": 1}},         // grade 0 is not relevant
	}
	rep := Evaluate(ix, qs)
	// Per query (R@1, R@5, RR): q1 (1, 1, 1), q2 (0, 0, 0), q3 (0, 1, 1/2),
	// q4 (1/2, 1/2, 1), q5 (0, 0, 0).
	// Sources (first relevant id in sort order): aa = q1, q4, q5; bb = q2, q3.
	want := Report{
		Queries: 5, R1: 1.5 / 5, R5: 2.5 / 5, MRR10: 2.5 / 5,
		Sources: []SourceReport{
			{Source: "aa", Queries: 3, R1: 1.5 / 3, R5: 1.5 / 3, MRR10: 2.0 / 3},
			{Source: "bb", Queries: 2, R1: 0, R5: 0.5, MRR10: 0.25},
		},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if rep.Queries != want.Queries || !near(rep.R1, want.R1) || !near(rep.R5, want.R5) || !near(rep.MRR10, want.MRR10) {
		t.Errorf("totals = %d %.4f %.4f %.4f, want %d %.4f %.4f %.4f",
			rep.Queries, rep.R1, rep.R5, rep.MRR10, want.Queries, want.R1, want.R5, want.MRR10)
	}
	if len(rep.Sources) != len(want.Sources) {
		t.Fatalf("sources = %+v, want %+v", rep.Sources, want.Sources)
	}
	for i, w := range want.Sources {
		g := rep.Sources[i]
		if g.Source != w.Source || g.Queries != w.Queries || !near(g.R1, w.R1) || !near(g.R5, w.R5) || !near(g.MRR10, w.MRR10) {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
	if rep.P50 > rep.P99 {
		t.Errorf("p50 %v above p99 %v", rep.P50, rep.P99)
	}

	var buf bytes.Buffer
	rep.Write(&buf)
	out := buf.String()
	for _, s := range []string{"R@1", "R@5", "MRR@10", "qps", "p50", "p99", "0.300", "0.500", "aa", "bb", "0.250"} {
		if !strings.Contains(out, s) {
			t.Errorf("report does not contain %q:\n%s", s, out)
		}
	}
	// A fifth line gives the CPU time a search where it can be read.
	lines := 4
	if rep.CPUP99 > 0 {
		lines = 5
		if !strings.Contains(out, "CPU time a search") || rep.CPUP50 > rep.CPUP99 {
			t.Errorf("CPU p50 %v, p99 %v; report:\n%s", rep.CPUP50, rep.CPUP99, out)
		}
	}
	if n := strings.Count(out, "\n"); n != lines {
		t.Errorf("report has %d lines, want %d (header, all, 2 sources, CPU time if read):\n%s", n, lines, out)
	}

	if rep := Evaluate(ix, nil); rep.Queries != 0 || rep.R1 != 0 || len(rep.Sources) != 0 {
		t.Errorf("Evaluate(no queries) = %+v", rep)
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 5}, {0.99, 10}, {0.1, 1}, {0, 1}, {1, 10}} {
		if got := percentile(d, tt.p); got != tt.want {
			t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile(nil) = %v", got)
	}
}

func TestLoadQueries(t *testing.T) {
	in := `{"qid": "sfaq-008-q00", "query": "code highlighting in google docs", "relevant": {"sfaq-008": 1}}

{"qid": "m365-1-q", "query": "Outlook crashes", "relevant": {"m365-1": 1, "m365-2": 2}}
`
	qs, err := LoadQueries(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[0].ID != "sfaq-008-q00" || qs[0].Text != "code highlighting in google docs" ||
		qs[1].Relevant["m365-2"] != 2 || len(qs[1].Relevant) != 2 {
		t.Errorf("LoadQueries = %+v", qs)
	}
	for _, tt := range []struct{ in, want string }{
		{`{"qid": "a", "query": "x"`, "queries line 1"},
		{`{"qid": "a", "query": "x", "relevant": {}}`, "at least one"},
		{`{"qid": "a", "relevant": {"b": 1}}`, "need a \"query\""},
	} {
		if _, err := LoadQueries(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadQueries(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// loadEval loads the development split, skipping when it is absent.
func loadEval(tb testing.TB) (*Index, []Query) {
	tb.Helper()
	f, err := os.Open(evalArticles)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("evaluation data not found: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	arts, err := LoadJSONL(f)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := os.Open(evalQueries)
	if err != nil {
		tb.Fatal(err)
	}
	defer g.Close()
	qs, err := LoadQueries(g)
	if err != nil {
		tb.Fatal(err)
	}
	return NewIndex(arts), qs
}

// TestEvalDev checks ranking quality on the development split against the
// engines a user might pick instead (bleve: R@1 0.691, MRR@10 0.766).
// Run with -v to see the full report.
func TestEvalDev(t *testing.T) {
	ix, qs := loadEval(t)
	rep := Evaluate(ix, qs)
	var buf bytes.Buffer
	rep.Write(&buf)
	t.Logf("%d articles, dev split:\n%s", ix.Len(), buf.String())
	if rep.R1 < 0.69 {
		t.Errorf("R@1 = %.3f, want at least 0.69", rep.R1)
	}
	if rep.MRR10 < 0.766 {
		t.Errorf("MRR@10 = %.3f, want at least 0.766", rep.MRR10)
	}
}

// builtinQueries are chat-style reports used to benchmark the built-in KB.
var builtinQueries = []string{
	"hi, my laptop can't reach the VPN since this morning, I already rebooted",
	"I'm locked out of my account please help",
	"forgot my pw",
	"new phone, need to move my 2FA",
	"wifi in the office doesn't work",
	"authenticator code not accepted",
	"outlook keeps asking for my password",
	"printer is offline and my job is stuck",
	"error 0x80070005 when installing updates",
	`teams says "we couldn't connect you"`,
}

func BenchmarkSearchBuiltin(b *testing.B) {
	arts, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	if len(arts) == 0 {
		b.Skip("no built-in articles yet")
	}
	benchSearch(b, NewIndex(arts), builtinQueries)
}

func BenchmarkSearchEval(b *testing.B) {
	ix, qs := loadEval(b)
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = q.Text
	}
	benchSearch(b, ix, texts)
}

// benchSearch runs the queries round robin for top-10 results and reports
// the median and 99th-percentile latency of a single search.
func benchSearch(b *testing.B, ix *Index, queries []string) {
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.Search(queries[i%len(queries)], 10)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(percentile(lat, 0.50).Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Nanoseconds())/1e3, "p99-µs")
}
