package kb

import (
	"math"
	"sync"
)

// The fields of an article that are indexed, each with its own weight and
// length normalisation (BM25F).
const (
	fieldTitle = iota
	fieldSummary
	fieldTags // tags and category
	fieldBody
	numFields
)

// params are the ranking parameters. They are fixed at NewIndex.
type params struct {
	k1     float64            // term-frequency saturation
	weight [numFields]float64 // field boosts
	b      [numFields]float64 // field length normalisation
	pairW  float64            // weight of adjacent-pair (bigram) matches
	pairK1 float64            // saturation for pairs
	quoted float64            // boost for terms and pairs inside "quotes"
	// titleCover raises the score of each of the rerank best results by
	// this share for the whole of its title being in the query (see
	// Index.rerank).
	titleCover float64
	rerank     int
}

// defaultParams are the ranking parameters used by NewIndex, chosen on the
// development split of the evaluation set (see eval_test.go).
func defaultParams() params {
	return params{
		k1:     3.3,
		weight: [numFields]float64{fieldTitle: 8, fieldSummary: 2.5, fieldTags: 2, fieldBody: 1},
		b:      [numFields]float64{fieldTitle: 0.8, fieldSummary: 0.6, fieldTags: 0.4, fieldBody: 1},
		pairW:  0.2,
		pairK1: 2.4,
		quoted: 2,
		// On the dev split, 0.1 over the best 30 moves R@1 from 0.806 to
		// 0.811; from 0.1 to 0.8 it stays within 0.808 to 0.811.
		titleCover: 0.1,
		rerank:     30,
	}
}

// postingTable holds the postings of many keys (terms or adjacent pairs) in
// compressed-row form: the articles containing key i are
// docs[start[i]:start[i+1]], in article order, and impact holds each
// article's precomputed BM25F score for the key.
type postingTable struct {
	start  []int32
	docs   []int32
	impact []float32
	best   []float32 // by key: the highest impact of any article, for Confidence
	fields []uint8   // by posting: a bit (1<<field) per field the key occurs in
}

// Index is a ranked full-text index over a set of articles. It is immutable
// after NewIndex and safe for concurrent use by several goroutines.
type Index struct {
	articles []Article
	an       analyzer
	p        params
	terms    map[string]int32 // term → term id
	pairs    map[uint64]int32 // pairKey(term id, term id) → pair id
	termPost postingTable
	pairPost postingTable
	sigs     [][]sigTerm // by article, for Agreement; see agree.go
	termIDF  []float32   // by term id
	titles   [][]int32   // by article: the distinct term ids of its title, sorted
	titleIDF []float32   // by article: the idf mass of titles[d]
	bufs     sync.Pool   // *scratch, see search.go
}

// Len returns the number of articles in the index.
func (ix *Index) Len() int { return len(ix.articles) }

// Article returns the article with id, so a chat command can show it in full.
func (ix *Index) Article(id string) (*Article, bool) {
	for i := range ix.articles {
		if ix.articles[i].ID == id {
			return &ix.articles[i], true
		}
	}
	return nil, false
}

// NewIndex builds a search index over articles. The index keeps its own copy
// of the articles; Search results point into it.
func NewIndex(articles []Article) *Index {
	return newIndex(articles, defaultParams())
}

// pairKey is the key of the adjacent pair of term ids a, b, in either
// order: "password reset" and "reset (your) password" are the same pair.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}

// docStats holds one article's counts while the index is built: its
// keys are the counts terms0 to terms1 and pairs0 to pairs1 of the build's
// counters.
type docStats struct {
	terms0, terms1, pairs0, pairs1 int32
	len                            [numFields]float32
}

// newIndex is NewIndex with explicit ranking parameters. The articles'
// texts are read into term ids and counted on two goroutines, and the two
// posting tables laid out on two (see indexbuild.go), so that a start with a
// large kb.dir has its index in about half the time on two cores.
func newIndex(articles []Article, p params) *Index {
	ix := &Index{
		articles: append([]Article(nil), articles...),
		an:       analyzer{stems: make(map[string]string), learn: true},
		p:        p,
		terms:    make(map[string]int32),
		pairs:    make(map[uint64]int32),
	}
	n := len(ix.articles)
	ix.titles = make([][]int32, n)
	c := countArticles(ix)
	ix.an.learn = false

	var avg [numFields]float64
	for f := range avg {
		avg[f] = math.Max(c.total[f]/math.Max(float64(n), 1), 1)
	}
	// norm is the BM25F pseudo term frequency: the field-weighted sum of
	// length-normalised frequencies.
	norm := func(st *docStats, tf [numFields]float32) float64 {
		var w float64
		for f := range tf {
			if tf[f] != 0 {
				w += p.weight[f] * float64(tf[f]) / (1 - p.b[f] + p.b[f]*float64(st.len[f])/avg[f])
			}
		}
		return w
	}
	// The term postings, the signatures drawn from them and the idfs on
	// one goroutine, the pair postings on this one: neither writes what
	// the other reads.
	var wg sync.WaitGroup
	wg.Go(func() {
		ix.termPost = buildPostings(c.stats, &c.terms, n, func(st *docStats) (int32, int32) { return st.terms0, st.terms1 },
			func(st *docStats, tf [numFields]float32, idf float64) float64 {
				w := norm(st, tf)
				return idf * w * (p.k1 + 1) / (p.k1 + w)
			})
		c.terms.release()
		ix.sigs = signatures(&ix.termPost, n)
		ix.termIDF = make([]float32, len(c.terms.df))
		for i, df := range c.terms.df {
			ix.termIDF[i] = float32(idf(n, int(df)))
		}
		ix.titleIDF = make([]float32, n)
		for d := range ix.articles {
			for _, id := range ix.titles[d] {
				ix.titleIDF[d] += ix.termIDF[id]
			}
		}
	})
	ix.pairPost = buildPostings(c.stats, &c.pairs, n, func(st *docStats) (int32, int32) { return st.pairs0, st.pairs1 },
		func(st *docStats, tf [numFields]float32, idf float64) float64 {
			w := norm(st, tf)
			return idf * w * (p.pairK1 + 1) / (p.pairK1 + w)
		})
	c.pairs.release()
	wg.Wait()
	return ix
}

// buildPostings lays out the postings of every key counted in c in
// compressed-row form, scoring each (article, key) with score; keys gives
// the range of an article's counts.
func buildPostings(stats []docStats, c *counter, n int, keys func(*docStats) (int32, int32),
	score func(st *docStats, tf [numFields]float32, idf float64) float64) postingTable {
	df := c.df
	// start[id+1] is first the end of key id's postings; the articles,
	// taken last to first, move it down to the start of key id's, which
	// then shifts into place.
	t := postingTable{start: make([]int32, len(df)+1), best: make([]float32, len(df))}
	for i, c := range df {
		t.start[i+1] = t.start[i] + c
	}
	total := t.start[len(df)]
	t.docs = make([]int32, total)
	t.impact = make([]float32, total)
	t.fields = make([]uint8, total)
	// A key's idf depends on its document frequency alone, at most n.
	idfs := make([]float64, n+1)
	for df := range idfs {
		idfs[df] = idf(n, df)
	}
	for d := len(stats) - 1; d >= 0; d-- {
		st := &stats[d]
		from, to := keys(st)
		for k := to - 1; k >= from; k-- {
			id, tf := c.counts(k)
			t.start[id+1]--
			j := t.start[id+1]
			t.docs[j] = int32(d)
			t.impact[j] = float32(score(st, tf, idfs[df[id]]))
			for f, c := range tf {
				if c > 0 {
					t.fields[j] |= 1 << f
				}
			}
			t.best[id] = max(t.best[id], t.impact[j])
		}
		c.dropFrom(from)
	}
	copy(t.start, t.start[1:])
	t.start[len(df)] = total
	return t
}

// idf is the BM25 inverse document frequency of a key in df of n articles.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// fieldTexts returns the text segments of each indexed field of a. Pairs of
// adjacent terms never span two segments.
func fieldTexts(a *Article) [numFields][]string {
	var t [numFields][]string
	t[fieldTitle] = []string{a.Title}
	t[fieldSummary] = []string{a.Summary}
	t[fieldTags] = append([]string(nil), a.Tags...)
	if a.Category != "" && a.Category != DefaultCategory {
		t[fieldTags] = append(t[fieldTags], a.Category)
	}
	t[fieldBody] = []string{a.Body}
	return t
}
