package kb

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// evalArticlesOrSkip loads the evaluation articles, or skips tb without them.
func evalArticlesOrSkip(tb testing.TB) []Article {
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
	return arts
}

// writeArticleDir writes arts as markdown article files in a new temporary
// directory, as a kb.dir would hold them, and returns it.
func writeArticleDir(tb testing.TB, arts []Article) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, a := range arts {
		md := fmt.Sprintf("---\nid: %s\ntitle: %s\n---\n%s\n", a.ID, strconv.Quote(a.Title), a.Body)
		if err := os.WriteFile(filepath.Join(dir, a.ID+".md"), []byte(md), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkNewIndexEval builds the index over the 2,504 evaluation
// articles, the largest part of start-up with them as kb.dir.
func BenchmarkNewIndexEval(b *testing.B) {
	arts := evalArticlesOrSkip(b)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(arts)
	}
}

// BenchmarkReferenceIndexEval is BenchmarkNewIndexEval for the build
// NewIndex replaced, to compare the two in one run.
func BenchmarkReferenceIndexEval(b *testing.B) {
	arts := evalArticlesOrSkip(b)
	b.ReportAllocs()
	for b.Loop() {
		referenceIndex(arts, defaultParams())
	}
}

// BenchmarkLoadDirEval reads the 2,504 evaluation articles from a directory
// of markdown files, the other part of start-up with them as kb.dir.
func BenchmarkLoadDirEval(b *testing.B) {
	dir := writeArticleDir(b, evalArticlesOrSkip(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadDir(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// referenceIndex is newIndex as it was before the build was made to
// allocate less (issue 16): every word analysed with analyzer.terms, a map
// per article for its counts. TestIndexMatchesReference holds the faster
// build to exactly the same index.
func referenceIndex(articles []Article, p params) *Index {
	type counts struct {
		id int32
		tf [numFields]float32
	}
	type stats struct {
		terms, pairs []counts
		len          [numFields]float32
	}
	type counter struct {
		df   []int32
		slot map[int32]int
	}
	add := func(c *counter, list *[]counts, id int32, f int) {
		for int(id) >= len(c.df) {
			c.df = append(c.df, 0)
		}
		i, ok := c.slot[id]
		if !ok {
			i = len(*list)
			c.slot[id] = i
			*list = append(*list, counts{id: id})
			c.df[id]++
		}
		(*list)[i].tf[f]++
	}
	ix := &Index{
		articles: append([]Article(nil), articles...),
		an:       analyzer{stems: make(map[string]string), learn: true},
		p:        p,
		terms:    make(map[string]int32),
		pairs:    make(map[uint64]int32),
	}
	n := len(ix.articles)
	st := make([]stats, n)
	var total [numFields]float64
	terms := counter{slot: make(map[int32]int)}
	pairs := counter{slot: make(map[int32]int)}
	for d := range ix.articles {
		clear(terms.slot)
		clear(pairs.slot)
		for f, segments := range fieldTexts(&ix.articles[d]) {
			for _, text := range segments {
				toks := ix.an.terms(text)
				st[d].len[f] += float32(len(toks))
				total[f] += float64(len(toks))
				prev := int32(-1)
				for _, t := range toks {
					id, ok := ix.terms[t]
					if !ok {
						id = int32(len(ix.terms))
						ix.terms[t] = id
					}
					add(&terms, &st[d].terms, id, f)
					if prev >= 0 {
						k := pairKey(prev, id)
						pid, ok := ix.pairs[k]
						if !ok {
							pid = int32(len(ix.pairs))
							ix.pairs[k] = pid
						}
						add(&pairs, &st[d].pairs, pid, f)
					}
					prev = id
				}
			}
		}
	}
	ix.an.learn = false
	var avg [numFields]float64
	for f := range avg {
		avg[f] = math.Max(total[f]/math.Max(float64(n), 1), 1)
	}
	norm := func(s *stats, tf [numFields]float32) float64 {
		var w float64
		for f := range tf {
			if tf[f] != 0 {
				w += p.weight[f] * float64(tf[f]) / (1 - p.b[f] + p.b[f]*float64(s.len[f])/avg[f])
			}
		}
		return w
	}
	post := func(df []int32, keys func(*stats) []counts, k1 float64) postingTable {
		t := postingTable{start: make([]int32, len(df)+1), best: make([]float32, len(df))}
		for i, c := range df {
			t.start[i+1] = t.start[i] + c
		}
		total := t.start[len(df)]
		t.docs = make([]int32, total)
		t.impact = make([]float32, total)
		t.fields = make([]uint8, total)
		next := append([]int32(nil), t.start[:len(df)]...)
		for d := range st {
			for _, kc := range keys(&st[d]) {
				j := next[kc.id]
				next[kc.id]++
				t.docs[j] = int32(d)
				w := norm(&st[d], kc.tf)
				t.impact[j] = float32(idf(n, int(df[kc.id])) * w * (k1 + 1) / (k1 + w))
				for f, c := range kc.tf {
					if c > 0 {
						t.fields[j] |= 1 << f
					}
				}
				t.best[kc.id] = max(t.best[kc.id], t.impact[j])
			}
		}
		return t
	}
	ix.termPost = post(terms.df, func(s *stats) []counts { return s.terms }, p.k1)
	ix.pairPost = post(pairs.df, func(s *stats) []counts { return s.pairs }, p.pairK1)
	ix.sigs = referenceSignatures(&ix.termPost, n)
	ix.termIDF = make([]float32, len(terms.df))
	for i, c := range terms.df {
		ix.termIDF[i] = float32(idf(n, int(c)))
	}
	ix.titles = make([][]int32, n)
	ix.titleIDF = make([]float32, n)
	for d := range ix.articles {
		var ids []int32
		for _, t := range ix.an.terms(ix.articles[d].Title) {
			ids = append(ids, ix.terms[t])
		}
		slices.Sort(ids)
		ix.titles[d] = slices.Compact(ids)
		for _, id := range ix.titles[d] {
			ix.titleIDF[d] += ix.termIDF[id]
		}
	}
	return ix
}

// referenceSignatures is signatures as it was before it sized its
// arrays first (issue 16).
func referenceSignatures(t *postingTable, n int) [][]sigTerm {
	sigs := make([][]sigTerm, n)
	for id := range len(t.start) - 1 {
		lo, hi := t.start[id], t.start[id+1]
		for i := lo; i < hi; i++ {
			d := t.docs[i]
			sigs[d] = append(sigs[d], sigTerm{id: int32(id), w: t.impact[i]})
		}
	}
	for d, s := range sigs {
		slices.SortFunc(s, func(a, b sigTerm) int { return cmp.Compare(b.w, a.w) })
		s = slices.Clip(s[:min(len(s), sigTerms)])
		slices.SortFunc(s, func(a, b sigTerm) int { return cmp.Compare(a.id, b.id) })
		var norm float64
		for _, x := range s {
			norm += float64(x.w) * float64(x.w)
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for i := range s {
				s[i].w *= inv
			}
		}
		sigs[d] = s
	}
	return sigs
}

// sameIndex reports the first difference between two indexes' contents,
// or "" when they hold exactly the same terms, postings, scores and
// signatures.
func sameIndex(got, want *Index) string {
	switch {
	case !reflect.DeepEqual(got.articles, want.articles):
		return "articles"
	case !maps.Equal(got.terms, want.terms):
		return "term ids"
	case !maps.Equal(got.pairs, want.pairs):
		return "pair ids"
	case !reflect.DeepEqual(got.termPost, want.termPost):
		return "term postings"
	case !reflect.DeepEqual(got.pairPost, want.pairPost):
		return "pair postings"
	case !reflect.DeepEqual(got.sigs, want.sigs):
		return "signatures"
	case !slices.Equal(got.termIDF, want.termIDF):
		return "term idf"
	case !slices.EqualFunc(got.titles, want.titles, slices.Equal):
		return "titles"
	case !slices.Equal(got.titleIDF, want.titleIDF):
		return "title idf"
	case !maps.Equal(got.an.stems, want.an.stems):
		return "learnt stems"
	case got.an.learn || got.p != want.p:
		return "analyzer or parameters"
	}
	return ""
}

// TestIndexMatchesReference builds the built-in KB, a KB with the corner
// cases of the analyzer, and the evaluation KB when it is there, with
// NewIndex and with the build it replaced, and wants the same index and the
// same search results, scores and offers for every query.
func TestIndexMatchesReference(t *testing.T) {
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	corners := []Article{
		{ID: "hex", Title: "Error 0x80070005 and 0xFACE, 0xface", Body: "Code 0XBEEF; 0xabcd then abcd and 0xzz1."},
		{ID: "quote", Title: `The "Cannot start" error`, Summary: "It’s the user's “sync failed” — can't, won't.", Body: "Ünïcödé Straße ΣΊΣΥΦΟΣ ٣٤ 3rd 2FA two-factor multi factor authentication"},
		{ID: "empty", Title: "a the of", Tags: []string{"", "vpn", "VPN"}, Category: "network"},
		{ID: "bytes", Title: "bad \xff\xfe utf-8", Body: "word's words' 's ' \"unclosed"},
		// More than a count's 65,535 of one term, and of one pair, in a field.
		{ID: "spam", Title: "Spam", Body: strings.Repeat("spam eggs spam ", 40000)},
	}
	queries := append([]string{"0xface", "abcd", "2fa", "straße", "cant start", `"sync failed"`, "vpn network", "spam eggs"}, builtinQueries...)
	kbs := []struct {
		name string
		arts func(t *testing.T) []Article
	}{
		{"builtin", func(*testing.T) []Article { return builtin }},
		{"corners", func(*testing.T) []Article { return append(corners, builtin...) }},
		{"eval", func(t *testing.T) []Article {
			if testing.Short() {
				t.Skip("the evaluation KB takes a few seconds")
			}
			arts := evalArticlesOrSkip(t)
			f, err := os.Open(evalQueries)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			qs, err := LoadQueries(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				queries = append(queries, q.Text)
			}
			return arts
		}},
	}
	for _, k := range kbs {
		t.Run(k.name, func(t *testing.T) {
			arts := k.arts(t)
			got, want := NewIndex(arts), referenceIndex(arts, defaultParams())
			if diff := sameIndex(got, want); diff != "" {
				t.Fatalf("the index differs from the reference build in its %s", diff)
			}
			for _, q := range queries {
				g, w := got.Offer(q, 10), want.Offer(q, 10)
				if len(g.Results) != len(w.Results) || g.Confidence != w.Confidence || g.Vague != w.Vague {
					t.Fatalf("offer for %q: %d results, confidence %v; want %d, %v", q, len(g.Results), g.Confidence, len(w.Results), w.Confidence)
				}
				for i := range g.Results {
					if g.Results[i].Article.ID != w.Results[i].Article.ID || g.Results[i].Score != w.Results[i].Score || g.Results[i].Confidence != w.Results[i].Confidence {
						t.Fatalf("result %d for %q: %s %v, want %s %v", i, q, g.Results[i].Article.ID, g.Results[i].Score, w.Results[i].Article.ID, w.Results[i].Score)
					}
				}
			}
		})
	}
}
