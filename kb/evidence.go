package kb

import (
	"cmp"
	"math"
	"slices"
)

// Offer evidence: what the offer model (offermodel.go) reads about one
// search to say how likely it is that one of the articles it would show
// answers the report. Each feature is a share (0 to 1) or a small count,
// so its weight means the same for any KB size or query length.
const (
	featConf     = iota // the best result's Confidence (score over the ideal score)
	featCover           // share of the query's words (by idf) that an article holds
	featHead            // the same, counting only its title, summary and tags
	featRare            // share of the query's three rarest words an article holds
	featTitle           // share of an article's title (by idf) that the query holds
	featPairs           // share of the query's adjacent word pairs an article holds
	featRunnerUp        // the second result's score over the best one's
	featAgree           // Agreement of the two best results
	featTerms           // log(1 + distinct query words the KB knows)
	featUnknown         // share of the query's idf mass in words the KB has never seen
	numFeatures
)

// featureNames name the features for kb eval --fit.
var featureNames = [numFeatures]string{"confidence", "cover", "cover in title/summary/tags",
	"rare words", "title in query", "pairs", "runner-up / best", "agreement of best two",
	"log query words", "unknown words"}

// qterm is one distinct known term of a query with its idf.
type qterm struct {
	id  int32
	idf float64
}

// features computes the offer evidence of res, the results of the query
// whose merged keys and unknown weight are given. Article measures (cover,
// head, rare, title, pairs) are the best over the OfferDepth first
// results: the offer stands when one of the articles it shows is good.
func (ix *Index) features(keys []queryKey, unknown float64, res []Result) [numFeatures]float64 {
	var x [numFeatures]float64
	if len(res) == 0 {
		return x
	}
	unseen := unknown * idf(len(ix.articles), 1)
	total := unseen
	var terms []qterm
	npairs := 0
	for _, k := range keys {
		if k.pair {
			npairs++
			continue
		}
		terms = append(terms, qterm{k.id, float64(ix.termIDF[k.id])})
		total += float64(ix.termIDF[k.id])
	}
	rare := slices.Clone(terms)
	slices.SortFunc(rare, func(a, b qterm) int { return cmp.Compare(b.idf, a.idf) })
	rare = rare[:min(3, len(rare))]
	var rareTotal float64
	for _, t := range rare {
		rareTotal += t.idf
	}
	const head = 1<<fieldTitle | 1<<fieldSummary | 1<<fieldTags
	for _, r := range res[:min(OfferDepth, len(res))] {
		var cov, hd, rc float64
		for _, t := range terms {
			if m, ok := ix.termPost.fieldsOf(t.id, r.doc); ok {
				cov += t.idf
				if m&head != 0 {
					hd += t.idf
				}
			}
		}
		for _, t := range rare {
			if _, ok := ix.termPost.fieldsOf(t.id, r.doc); ok {
				rc += t.idf
			}
		}
		pairs := 0
		for _, k := range keys {
			if !k.pair {
				continue
			}
			if _, ok := ix.pairPost.fieldsOf(k.id, r.doc); ok {
				pairs++
			}
		}
		x[featCover] = max(x[featCover], ratio(cov, total))
		x[featHead] = max(x[featHead], ratio(hd, total))
		x[featRare] = max(x[featRare], ratio(rc, rareTotal))
		x[featTitle] = max(x[featTitle], ix.titleCover(r.doc, keys))
		x[featPairs] = max(x[featPairs], ratio(float64(pairs), float64(npairs)))
	}
	x[featConf] = res[0].Confidence
	if len(res) > 1 {
		x[featRunnerUp] = ratio(res[1].Score, res[0].Score)
		x[featAgree] = Agreement(res[0], res[1])
	}
	x[featTerms] = math.Log(1 + float64(len(terms)))
	x[featUnknown] = ratio(unseen, total)
	return x
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// fieldsOf returns the field bits of key id in article d, and whether d
// holds the key at all.
func (t *postingTable) fieldsOf(id, d int32) (uint8, bool) {
	lo, hi := t.start[id], t.start[id+1]
	i, ok := slices.BinarySearch(t.docs[lo:hi], d)
	if !ok {
		return 0, false
	}
	return t.fields[lo+int32(i)], true
}
