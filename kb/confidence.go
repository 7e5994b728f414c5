package kb

// Knowing when not to suggest: a raw BM25F score grows with the number of
// words in the query and with the rarity of those words in the KB, so a
// fixed threshold on it means different things for "vpn" and for a
// paragraph, and changes when articles are added. Confidence divides the
// score by the ideal score of the same query over the same index: the sum,
// over the query's terms and adjacent pairs, of the highest contribution any
// article gets from that key. An article that is the best match for every
// word of the query scores 1; one that matches only a few common words of a
// long report scores near 0. A query word the KB has never seen counts in
// the ideal as if one article had it once in its title: no article matches
// it, so a report about "the coffee machine" is far from every article of a
// small KB that happens to mention "broken".

// ideal is the highest score an article could reach for keys, plus unknown
// (the weight of the query terms absent from the index) times the score of
// a term found once in one title.
func (ix *Index) ideal(keys []queryKey, unknown float64) float64 {
	sum := unknown * ix.unseenBest()
	for _, qk := range keys {
		t := &ix.termPost
		if qk.pair {
			t = &ix.pairPost
		}
		sum += float64(qk.w) * float64(t.best[qk.id])
	}
	return sum
}

// unseenBest is the score of a term found in one article only, once, in
// its title, of average length: what a query word the index has never seen
// would score in the article written for it.
func (ix *Index) unseenBest() float64 {
	w := ix.p.weight[fieldTitle]
	return idf(len(ix.articles), 1) * w * (ix.p.k1 + 1) / (ix.p.k1 + w)
}
