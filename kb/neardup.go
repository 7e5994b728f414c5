package kb

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
)

// Queries with several relevant articles: the evaluation files judge one
// article relevant per query, yet a KB often holds two articles about the
// same problem (the same fix for two product versions, a thread asked
// twice). MergeNearDuplicates builds such cases from any query set, the
// same way every time: articles whose texts are near-duplicates are
// grouped, and every query of a group's article counts all of the group
// as relevant. The similarity is deliberately not the one the offer's
// Agreement uses (signatures of the ranking's stems): plain lower-cased
// words of title and body, TF-IDF weighted, compared by cosine.

// DefaultDuplicateSim is the cosine of word TF-IDF vectors from which kb
// eval counts two articles as near-duplicates.
const DefaultDuplicateSim = 0.45

// dupTerms is how many of its highest-weighted words a text keeps for the
// near-duplicate comparison; the rest change a cosine little.
const dupTerms = 64

// MergeNearDuplicates returns qs with the relevance of every query widened
// to the near-duplicates of its relevant articles: the articles of arts
// whose word vectors (see above) have a cosine of at least minSim with
// one of them. Queries are copied; qs is unchanged.
func MergeNearDuplicates(arts []Article, qs []Query, minSim float64) []Query {
	groups := NearDuplicates(arts, minSim)
	out := make([]Query, len(qs))
	for i, q := range qs {
		rel := maps.Clone(q.Relevant)
		for id, g := range q.Relevant {
			if g <= 0 {
				continue
			}
			for _, other := range groups[id] {
				rel[other] = max(rel[other], g)
			}
		}
		out[i] = Query{ID: q.ID, Text: q.Text, Relevant: rel}
	}
	return out
}

// NearDuplicates maps each article ID that has near-duplicates in arts
// (a cosine of at least minSim with it; not taken transitively, so a chain
// of small steps does not join two different problems) to their IDs,
// sorted.
func NearDuplicates(arts []Article, minSim float64) map[string][]string {
	vecs := wordVectors(arts)
	// Inverted lists over the kept words find the pairs that share one.
	post := make(map[string][]int)
	for d, v := range vecs {
		for w := range v {
			post[w] = append(post[w], d)
		}
	}
	out := make(map[string][]string)
	dot := make(map[int]float64)
	for d, v := range vecs {
		clear(dot)
		for w, x := range v {
			for _, e := range post[w] {
				if e > d {
					dot[e] += x * vecs[e][w]
				}
			}
		}
		for e, s := range dot {
			if s >= minSim {
				out[arts[d].ID] = append(out[arts[d].ID], arts[e].ID)
				out[arts[e].ID] = append(out[arts[e].ID], arts[d].ID)
			}
		}
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}

// wordVectors returns each article's dupTerms most weighted lower-cased
// words of title and body, TF-IDF weighted, as a unit vector.
func wordVectors(arts []Article) []map[string]float64 {
	tfs := make([]map[string]float64, len(arts))
	df := make(map[string]int)
	for d, a := range arts {
		tf := make(map[string]float64)
		for _, r := range splitWords(a.Title + "\n" + a.Body) {
			tf[strings.ToLower(r.word)]++
		}
		for w := range tf {
			df[w]++
		}
		tfs[d] = tf
	}
	n := float64(len(arts))
	vecs := make([]map[string]float64, len(arts))
	for d, tf := range tfs {
		type ww struct {
			w string
			x float64
		}
		all := make([]ww, 0, len(tf))
		for w, c := range tf {
			all = append(all, ww{w, (1 + math.Log(c)) * math.Log(n/float64(df[w]))})
		}
		slices.SortFunc(all, func(a, b ww) int { return cmp.Or(cmp.Compare(b.x, a.x), strings.Compare(a.w, b.w)) })
		all = all[:min(len(all), dupTerms)]
		var norm float64
		for _, e := range all {
			norm += e.x * e.x
		}
		v := make(map[string]float64, len(all))
		for _, e := range all {
			if norm > 0 {
				v[e.w] = e.x / math.Sqrt(norm)
			}
		}
		vecs[d] = v
	}
	return vecs
}
