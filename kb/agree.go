package kb

import (
	"cmp"
	"math"
	"slices"
)

// Agreement between articles: two results nearly tied for a report are
// either two articles about the same problem (the report is clear and
// either article helps) or two articles about different problems (the
// report is ambiguous). The offer's confidence must tell these apart, so
// the index keeps for every article a signature: its most distinctive
// terms, weighted by their BM25F impact in the article, as a unit vector.
// Two articles share a problem when their signatures point the same way
// (a cosine near 1) and, where both have one, their category is the same.

// sigTerms is how many terms an article's signature keeps.
const sigTerms = 32

// sigTerm is one term of an article's signature.
type sigTerm struct {
	id int32
	w  float32
}

// signatures returns, by article, the sigTerms terms with the highest
// impact in t (the term postings), sorted by term id, as unit vectors.
func signatures(t *postingTable, n int) [][]sigTerm {
	// Each article's terms go in its own part of one array, sized first.
	per := make([]int, n)
	for _, d := range t.docs {
		per[d]++
	}
	all := make([]sigTerm, 0, len(t.docs))
	sigs := make([][]sigTerm, n)
	for d, c := range per {
		if c > 0 {
			sigs[d], all = all[len(all):len(all):len(all)+c], all[:len(all)+c]
		}
	}
	for id := range len(t.start) - 1 {
		lo, hi := t.start[id], t.start[id+1]
		for i := lo; i < hi; i++ {
			d := t.docs[i]
			sigs[d] = append(sigs[d], sigTerm{id: int32(id), w: t.impact[i]})
		}
	}
	for d, s := range sigs {
		slices.SortFunc(s, func(a, b sigTerm) int { return cmp.Compare(b.w, a.w) })
		// A copy, so the article's full list of terms is not kept.
		s = slices.Clone(s[:min(len(s), sigTerms)])
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

// cosine is the dot product of two unit signatures.
func cosine(a, b []sigTerm) float64 {
	var dot float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			dot += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		}
	}
	return dot
}

// Agreement is how far results a and b of one search are about the same
// problem, from 0 (nothing in common) to 1: the cosine c of their
// articles' signatures, moved by their categories where both name one:
// (1+c)/2 for the same category, c/2 for different ones. A signature holds
// an article's most distinctive terms, which two articles on one problem
// share only in part; their category says the rest.
func Agreement(a, b Result) float64 {
	c := cosine(a.sig, b.sig)
	ca, cb := a.Article.Category, b.Article.Category
	switch {
	case ca == "" || cb == "" || ca == DefaultCategory || cb == DefaultCategory:
		return c
	case ca == cb:
		return (1 + c) / 2
	}
	return c / 2
}
