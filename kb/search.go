package kb

import (
	"cmp"
	"slices"
)

// Result is one search hit.
type Result struct {
	Article *Article // points into the index; do not modify
	Score   float64  // higher is better; comparable only within one search
	// Confidence is Score as a share (0 to 1) of the ideal score for the
	// query: what one article would score if it were the best match in
	// the whole KB for every query term and pair at once. Unlike Score it
	// does not grow with the length of the query or the size of the KB, so
	// one threshold (kb.min_score) serves any KB; see confidence.go.
	Confidence float64
	sig        []sigTerm // the article's signature, for Agreement
	doc        int32     // the article's position in the index
}

// scratch is the per-search working memory, reused through Index.bufs.
type scratch struct {
	scores  []float32 // by article; 0 means not matched
	touched []int32   // articles with a non-zero score
	keys    []queryKey
}

// queryKey is one distinct term or pair of a query with its weight.
type queryKey struct {
	pair bool
	id   int32
	w    float32
}

// Search returns at most k results for query, best first. Only articles that
// match at least one query term are returned, so the result may be empty.
//
// Scoring is BM25F over title, summary, tags and body with per-field boosts
// (a title match counts most), plus a proximity bonus for articles where two
// adjacent query terms are also adjacent, in either order: "reset password"
// prefers an article saying "reset your password" over one that merely
// mentions both words. Terms and pairs inside "double quotes" count double.
// Error codes and numbers match only exactly.
func (ix *Index) Search(query string, k int) []Result { return ix.search(query, k, nil) }

// search is Search; when x is not nil it also computes the offer evidence
// of the results into *x (see features).
func (ix *Index) search(query string, k int, x *[numFeatures]float64) []Result {
	if k <= 0 || len(ix.articles) == 0 {
		return nil
	}
	s, _ := ix.bufs.Get().(*scratch)
	if s == nil {
		s = &scratch{scores: make([]float32, len(ix.articles))}
	}
	defer ix.bufs.Put(s)

	var unknown float64
	s.keys, unknown = ix.queryKeys(query, s.keys[:0])
	ix.accumulate(s, s.keys)
	res := ix.rerank(s, k)
	if ideal := ix.ideal(s.keys, unknown); ideal > 0 {
		for i := range res {
			res[i].Confidence = min(1, res[i].Score/ideal)
		}
	}
	if x != nil {
		*x = ix.features(s.keys, unknown, res)
	}
	for _, d := range s.touched {
		s.scores[d] = 0
	}
	s.touched = s.touched[:0]
	return res
}

// accumulate adds the scores of keys to s.
func (ix *Index) accumulate(s *scratch, keys []queryKey) {
	for _, qk := range keys {
		t := &ix.termPost
		if qk.pair {
			t = &ix.pairPost
		}
		lo, hi := t.start[qk.id], t.start[qk.id+1]
		docs, imp := t.docs[lo:hi], t.impact[lo:hi]
		for i, d := range docs {
			if s.scores[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.scores[d] += qk.w * imp[i]
		}
	}
}

// queryKeys analyzes a query into weighted term and pair ids, appended to
// keys. Terms unknown to the index are skipped; unknown is their weight.
func (ix *Index) queryKeys(query string, keys []queryKey) (_ []queryKey, unknown float64) {
	p := &ix.p
	toks := ix.an.analyze(query)
	add := func(pair bool, id int32, w float32) {
		keys = append(keys, queryKey{pair: pair, id: id, w: w})
	}
	prev, prevQuoted := int32(-1), false
	for _, t := range toks {
		w := float32(1)
		if t.quoted {
			w *= float32(p.quoted)
		}
		id, ok := ix.terms[t.term]
		if !ok {
			unknown += float64(w)
			continue
		}
		add(false, id, w)
		if prev >= 0 && p.pairW > 0 {
			if pid, ok := ix.pairs[pairKey(prev, id)]; ok {
				pw := float32(p.pairW)
				if t.quoted && prevQuoted {
					pw *= float32(p.quoted)
				}
				add(true, pid, pw)
			}
		}
		prev, prevQuoted = id, t.quoted
	}
	return mergeKeys(keys), unknown
}

// mergeKeys sorts keys and merges repeated ones, adding their weights, so a
// term said twice counts twice but its postings are read once.
func mergeKeys(keys []queryKey) []queryKey {
	slices.SortFunc(keys, func(a, b queryKey) int {
		if a.pair != b.pair {
			if a.pair {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.id, b.id)
	})
	out := keys[:0]
	for _, k := range keys {
		if n := len(out); n > 0 && out[n-1].pair == k.pair && out[n-1].id == k.id {
			out[n-1].w += k.w
			continue
		}
		out = append(out, k)
	}
	return out
}

// rerank returns the k best results, best first: the articles with the
// p.rerank (at least k) best BM25F scores, each score raised by
// p.titleCover times the share of its title's words (by idf) that the query
// holds. An article whose title the report restates is about the report's
// problem; one that matches as many words only in its body may just mention
// them. Ties go to the article that comes first in the index.
func (ix *Index) rerank(s *scratch, k int) []Result {
	docs := ix.topDocs(s, max(k, ix.p.rerank))
	res := make([]Result, len(docs))
	for i, d := range docs {
		sc := float64(s.scores[d])
		if ix.p.titleCover > 0 {
			sc *= 1 + ix.p.titleCover*ix.titleCover(d, s.keys)
		}
		res[i] = Result{Article: &ix.articles[d], Score: sc, sig: ix.sigs[d], doc: d}
	}
	slices.SortStableFunc(res, func(a, b Result) int { return cmp.Compare(b.Score, a.Score) })
	return res[:min(k, len(res))]
}

// titleCover is the share of the idf mass of article d's title terms that
// keys (merged, so terms come first and sorted by id) hold.
func (ix *Index) titleCover(d int32, keys []queryKey) float64 {
	t := ix.titles[d]
	if ix.titleIDF[d] == 0 {
		return 0
	}
	var got float32
	for i, j := 0, 0; i < len(t) && j < len(keys) && !keys[j].pair; {
		switch {
		case t[i] < keys[j].id:
			i++
		case t[i] > keys[j].id:
			j++
		default:
			got += ix.termIDF[t[i]]
			i++
			j++
		}
	}
	return float64(got / ix.titleIDF[d])
}

// topDocs returns the k best-scoring touched articles, best first.
func (ix *Index) topDocs(s *scratch, k int) []int32 {
	better := func(a, b int32) bool {
		if s.scores[a] != s.scores[b] {
			return s.scores[a] > s.scores[b]
		}
		return a < b
	}
	if k > len(s.touched) {
		k = len(s.touched)
	}
	// Keep the best k in a min-heap (worst at the root).
	heap := make([]int32, 0, k)
	for _, d := range s.touched {
		if len(heap) < k {
			heap = append(heap, d)
			for i := len(heap) - 1; i > 0; {
				parent := (i - 1) / 2
				if !better(heap[parent], heap[i]) {
					break
				}
				heap[parent], heap[i] = heap[i], heap[parent]
				i = parent
			}
			continue
		}
		if k == 0 || !better(d, heap[0]) {
			continue
		}
		heap[0] = d
		for i := 0; ; {
			l, r, worst := 2*i+1, 2*i+2, i
			if l < k && better(heap[worst], heap[l]) {
				worst = l
			}
			if r < k && better(heap[worst], heap[r]) {
				worst = r
			}
			if worst == i {
				break
			}
			heap[i], heap[worst] = heap[worst], heap[i]
			i = worst
		}
	}
	slices.SortFunc(heap, func(a, b int32) int {
		if a == b {
			return 0
		}
		if better(a, b) {
			return -1
		}
		return 1
	})
	return heap
}
