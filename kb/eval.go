package kb

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Query is one evaluation query with its relevance judgements.
type Query struct {
	ID, Text string
	Relevant map[string]int // article id → grade; a grade above 0 is relevant
}

// jsonlQuery is one line of the evaluation query format.
type jsonlQuery struct {
	QID      string         `json:"qid"`
	Query    string         `json:"query"`
	Relevant map[string]int `json:"relevant"`
}

// LoadQueries reads evaluation queries, one JSON object
// {"qid","query","relevant":{"<article id>":1}} per line.
func LoadQueries(r io.Reader) ([]Query, error) {
	var qs []Query
	err := forEachLine(r, func(n int, line []byte) error {
		var j jsonlQuery
		if err := json.Unmarshal(line, &j); err != nil {
			return fmt.Errorf("kb: queries line %d: %w", n, err)
		}
		if j.Query == "" || len(j.Relevant) == 0 {
			return fmt.Errorf("kb: queries line %d: need a \"query\" and at least one \"relevant\" id", n)
		}
		qs = append(qs, Query{ID: j.QID, Text: j.Query, Relevant: j.Relevant})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return qs, nil
}

// Report holds retrieval quality and speed over a query set.
type Report struct {
	Queries       int
	R1, R5, MRR10 float64 // Recall@1, Recall@5, mean reciprocal rank in the top 10
	QPS           float64 // queries per second, one goroutine
	P50, P99      time.Duration
	// CPUP50 and CPUP99 are the same percentiles of the CPU time of the
	// searching thread, which a busy machine stretches less than wall
	// time (0 where it cannot be read).
	CPUP50, CPUP99 time.Duration
	CPUMean        time.Duration
	Sources        []SourceReport // by source, sorted by name
}

// SourceReport is the quality over the queries of one source: the part of
// the first relevant article id (in sort order) before its first '-', such
// as "sfaq" or "m365".
type SourceReport struct {
	Source        string
	Queries       int
	R1, R5, MRR10 float64
}

// evalDepth is how many results Evaluate asks for.
const evalDepth = 10

// Evaluate runs every query against ix and measures Recall@1, Recall@5 and
// MRR@10 overall and per source, and the search latency. Recall@k is the
// share of a query's relevant articles found in the top k, averaged over
// queries.
func Evaluate(ix *Index, qs []Query) Report {
	var rep Report
	bySource := make(map[string]*SourceReport)
	lat := make([]time.Duration, 0, len(qs))
	cpu := make([]time.Duration, 0, len(qs))
	var total, cpuTotal time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, q := range qs {
		c0, cpuOK := threadCPU()
		start := time.Now()
		res := ix.Search(q.Text, evalDepth)
		el := time.Since(start)
		if c1, ok := threadCPU(); cpuOK && ok {
			cpu = append(cpu, c1-c0)
			cpuTotal += c1 - c0
		}
		total += el
		lat = append(lat, el)

		r1, r5, rr := score(res, q.Relevant)
		src := querySource(q)
		sr := bySource[src]
		if sr == nil {
			sr = &SourceReport{Source: src}
			bySource[src] = sr
		}
		sr.Queries++
		sr.R1 += r1
		sr.R5 += r5
		sr.MRR10 += rr
		rep.Queries++
		rep.R1 += r1
		rep.R5 += r5
		rep.MRR10 += rr
	}
	if rep.Queries == 0 {
		return rep
	}
	n := float64(rep.Queries)
	rep.R1, rep.R5, rep.MRR10 = rep.R1/n, rep.R5/n, rep.MRR10/n
	for _, sr := range bySource {
		m := float64(sr.Queries)
		sr.R1, sr.R5, sr.MRR10 = sr.R1/m, sr.R5/m, sr.MRR10/m
		rep.Sources = append(rep.Sources, *sr)
	}
	sort.Slice(rep.Sources, func(i, j int) bool { return rep.Sources[i].Source < rep.Sources[j].Source })
	if total > 0 {
		rep.QPS = n / total.Seconds()
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rep.P50 = percentile(lat, 0.50)
	rep.P99 = percentile(lat, 0.99)
	if len(cpu) > 0 {
		slices.Sort(cpu)
		rep.CPUP50, rep.CPUP99 = percentile(cpu, 0.50), percentile(cpu, 0.99)
		rep.CPUMean = cpuTotal / time.Duration(len(cpu))
	}
	return rep
}

// score returns Recall@1, Recall@5 and the reciprocal rank (within the top
// 10) of one result list.
func score(res []Result, relevant map[string]int) (r1, r5, rr float64) {
	nrel := relevantCount(relevant)
	if nrel == 0 {
		return 0, 0, 0
	}
	for i, r := range res {
		if i >= evalDepth {
			break
		}
		if relevant[r.Article.ID] <= 0 {
			continue
		}
		if rr == 0 {
			rr = 1 / float64(i+1)
		}
		if i < 1 {
			r1++
		}
		if i < 5 {
			r5++
		}
	}
	return r1 / float64(nrel), r5 / float64(nrel), rr
}

// querySource is the id prefix (before the first '-') of the first relevant
// article id of q in sort order.
func querySource(q Query) string {
	var ids []string
	for id, g := range q.Relevant {
		if g > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	sort.Strings(ids)
	src, _, _ := strings.Cut(ids[0], "-")
	return src
}

// percentile returns the p-th quantile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// Write prints the report as a table: the totals, then one row per source.
func (r Report) Write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tqueries\tR@1\tR@5\tMRR@10\tqps\tp50\tp99\t")
	fmt.Fprintf(tw, "all\t%d\t%.3f\t%.3f\t%.3f\t%.0f\t%s\t%s\t\n",
		r.Queries, r.R1, r.R5, r.MRR10, r.QPS, fmtDur(r.P50), fmtDur(r.P99))
	for _, s := range r.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t\t\t\t\n", s.Source, s.Queries, s.R1, s.R5, s.MRR10)
	}
	tw.Flush()
	if r.CPUP99 > 0 {
		fmt.Fprintf(w, "CPU time a search (the searching thread only): mean %s, p50 %s, p99 %s\n",
			fmtDur(r.CPUMean), fmtDur(r.CPUP50), fmtDur(r.CPUP99))
	}
}

// fmtDur prints a latency in microseconds or milliseconds.
func fmtDur(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%dµs", d.Microseconds())
	}
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
