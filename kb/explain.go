package kb

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// Explanation says why a query ranked as it did: how the query was
// analysed and what each top article matched.
type Explanation struct {
	Query string
	Terms []QueryTerm
	// Ideal is the score an article matching every term and pair of the
	// query best would get; Confidence is a result's Score over it.
	Ideal           float64
	OfferConfidence float64 // the offer's Confidence; see Offer
	Vague           bool    // the query names nothing to search for; see Offer
	// Evidence is what the offer model read, in the model's order (see
	// evidence.go).
	Evidence []Evidence
	Results  []ExplainedResult
}

// QueryTerm is one word (or phrase) of a query as the ranking sees it.
type QueryTerm struct {
	Words  string   // the lower-cased query word(s) it came from
	Term   string   // the term searched for; "" for a dropped stop word
	Kind   TermKind // stem, code, synonym, phrase or stop word
	Quoted bool     // inside "double quotes": counts double
	// DF is how many articles hold the term; 0 when the KB never uses it,
	// so it matches nothing (and lowers every article's Confidence).
	DF int
}

// Evidence is one feature the offer model read, with its weight in the
// model.
type Evidence struct {
	Name          string
	Value, Weight float64
}

// ExplainedResult is one ranked article with what it matched.
type ExplainedResult struct {
	Result
	Rank    int         // 1 for the best
	Matches []TermMatch // largest contribution first
}

// TermMatch is the contribution of one query term or adjacent pair to an
// article's score, and where in the article it occurs.
type TermMatch struct {
	Term  string  // "vpn", or "reset password" for an adjacent pair
	Pair  bool    // a bonus for two query terms adjacent in the article too
	Title bool    // the raise for the article's title being in the query
	Score float64 // its part of the article's Score
	// In counts the occurrences by field: title, summary, tags, body.
	In [numFields]int
}

// FieldNames are the names of the indexed fields, in the order of
// TermMatch.In.
var FieldNames = [numFields]string{"title", "summary", "tags", "body"}

// Explain searches for query like Search and explains the top k results.
// It is slower than Search and meant for people, not for serving.
func (ix *Index) Explain(query string, k int) Explanation {
	ex := Explanation{Query: query}
	an := ix.an
	an.keepStops = true
	for _, t := range an.analyze(query) {
		qt := QueryTerm{Words: t.from, Term: t.term, Kind: t.kind, Quoted: t.quoted}
		if id, ok := ix.terms[t.term]; ok && t.kind != KindStop {
			qt.DF = int(ix.termPost.start[id+1] - ix.termPost.start[id])
		}
		ex.Terms = append(ex.Terms, qt)
	}
	keys, unknown := ix.queryKeys(query, nil)
	ex.Ideal = ix.ideal(keys, unknown)
	res := ix.Search(query, k)
	o := ix.Offer(query, OfferCandidates)
	ex.OfferConfidence, ex.Vague = o.Confidence, o.Vague
	if !o.Vague && len(o.Results) > 0 {
		for i, v := range o.x {
			ex.Evidence = append(ex.Evidence, Evidence{Name: featureNames[i], Value: v, Weight: offerWeights[i]})
		}
	}
	names := ix.keyNames(keys)
	for i, r := range res {
		d := ix.docOf(r.Article)
		er := ExplainedResult{Result: r, Rank: i + 1}
		counts := ix.fieldCounts(r.Article)
		for j, qk := range keys {
			t := &ix.termPost
			if qk.pair {
				t = &ix.pairPost
			}
			imp, ok := t.impactOf(qk.id, d)
			if !ok {
				continue
			}
			m := TermMatch{Term: names[j], Pair: qk.pair, Score: float64(qk.w) * float64(imp)}
			m.In = counts[countKey{pair: qk.pair, id: qk.id}]
			er.Matches = append(er.Matches, m)
		}
		if tc := ix.titleCover(d, keys); tc > 0 && ix.p.titleCover > 0 {
			// The rerank's raise (see Index.rerank): the share of the title
			// the query holds, times the article's BM25F score.
			var base float64
			for _, m := range er.Matches {
				base += m.Score
			}
			er.Matches = append(er.Matches, TermMatch{Term: fmt.Sprintf("title %.0f%% in query", 100*tc),
				Title: true, Score: base * ix.p.titleCover * tc})
		}
		slices.SortStableFunc(er.Matches, func(a, b TermMatch) int { return cmp.Compare(b.Score, a.Score) })
		ex.Results = append(ex.Results, er)
	}
	return ex
}

// docOf returns the position in the index of a, which points into it.
func (ix *Index) docOf(a *Article) int32 {
	for i := range ix.articles {
		if &ix.articles[i] == a {
			return int32(i)
		}
	}
	return -1
}

// impactOf returns article d's precomputed score for key id.
func (t *postingTable) impactOf(id, d int32) (float32, bool) {
	lo, hi := t.start[id], t.start[id+1]
	docs := t.docs[lo:hi]
	i := sort.Search(len(docs), func(i int) bool { return docs[i] >= d })
	if i == len(docs) || docs[i] != d {
		return 0, false
	}
	return t.impact[lo+int32(i)], true
}

// keyNames returns the readable name of each key: its term, or its two
// terms for a pair.
func (ix *Index) keyNames(keys []queryKey) []string {
	byID := make(map[int32]string, len(ix.terms))
	for term, id := range ix.terms {
		byID[id] = term
	}
	pairByID := make(map[int32]uint64)
	for pk, id := range ix.pairs {
		pairByID[id] = pk
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		if !k.pair {
			names[i] = byID[k.id]
			continue
		}
		pk := pairByID[k.id]
		names[i] = byID[int32(pk>>32)] + " " + byID[int32(uint32(pk))]
	}
	return names
}

// countKey names a term or a pair of terms.
type countKey struct {
	pair bool
	id   int32
}

// fieldCounts counts the terms and adjacent pairs of a in each field, the
// way the index counted them.
func (ix *Index) fieldCounts(a *Article) map[countKey][numFields]int {
	out := make(map[countKey][numFields]int)
	for f, segments := range fieldTexts(a) {
		for _, text := range segments {
			prev := int32(-1)
			for _, t := range ix.an.terms(text) {
				id, ok := ix.terms[t]
				if !ok {
					prev = -1
					continue
				}
				c := out[countKey{id: id}]
				c[f]++
				out[countKey{id: id}] = c
				if prev >= 0 {
					if pid, ok := ix.pairs[pairKey(prev, id)]; ok {
						pc := out[countKey{pair: true, id: pid}]
						pc[f]++
						out[countKey{pair: true, id: pid}] = pc
					}
				}
				prev = id
			}
		}
	}
	return out
}

// Write prints the explanation for a person.
func (ex Explanation) Write(w io.Writer) {
	fmt.Fprintf(w, "query: %s\n  terms:", ex.Query)
	for _, t := range ex.Terms {
		switch {
		case t.Kind == KindStop:
			fmt.Fprintf(w, " (%s)", t.Words)
			continue
		case t.Words == t.Term:
			fmt.Fprintf(w, " %s", t.Term)
		default:
			fmt.Fprintf(w, " %s→%s", t.Words, t.Term)
		}
		var notes []string
		if t.Kind != KindStem {
			notes = append(notes, t.Kind.String())
		}
		if t.Quoted {
			notes = append(notes, "quoted ×2")
		}
		if t.DF == 0 {
			notes = append(notes, "not in KB")
		} else {
			notes = append(notes, fmt.Sprintf("df %d", t.DF))
		}
		fmt.Fprintf(w, "[%s]", strings.Join(notes, ", "))
	}
	vague := ""
	if ex.Vague {
		vague = " (vague: names nothing to search for)"
	}
	fmt.Fprintf(w, "\n  ideal score %.3f, offer confidence %.3f%s\n", ex.Ideal, ex.OfferConfidence, vague)
	if len(ex.Evidence) > 0 {
		fmt.Fprint(w, "  evidence:")
		for i, e := range ex.Evidence {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "%s %s %.2f (×%.2f)", sep, e.Name, e.Value, e.Weight)
		}
		fmt.Fprintln(w)
	}
	for _, r := range ex.Results {
		agree := ""
		if r.Rank > 1 {
			agree = fmt.Sprintf("  agrees %.2f", Agreement(ex.Results[0].Result, r.Result))
		}
		fmt.Fprintf(w, "  %2d. %7.3f  conf %.3f%s  %s  %s\n", r.Rank, r.Score, r.Confidence, agree, r.Article.ID, r.Article.Title)
		for _, m := range r.Matches {
			var in []string
			for f, n := range m.In {
				if n > 0 {
					in = append(in, fmt.Sprintf("%s %d", FieldNames[f], n))
				}
			}
			kind := "term"
			switch {
			case m.Pair:
				kind = "pair"
			case m.Title:
				fmt.Fprintf(w, "        %6.3f  %s\n", m.Score, m.Term)
				continue
			}
			fmt.Fprintf(w, "        %6.3f  %s %q  (%s)\n", m.Score, kind, m.Term, strings.Join(in, ", "))
		}
	}
}
