package kb

// Knowing when to offer: an offer is worth making when the best article
// matches the report well (its Confidence, see confidence.go) and nothing
// else matches it about as well for another reason. A runner-up about the
// same problem (see Agreement) is no reason for doubt: "Outlook crashes on
// start" matching both "App crashes or won't start" and "Outlook won't
// open" is a clear report with two good answers. A runner-up about a
// different problem is: "it stopped working" matching an MFA article and a
// printer article equally says the report is unclear.

// OfferCandidates is how many search results an offer weighs: the best
// article's competitors are looked for among them.
const OfferCandidates = 10

// pickShare is how close to the best article's Confidence another must come
// to be shown beside it. On the dev split, 0.7 against 0.5 withholds 0.4
// points more good offers and shows 0.3 fewer articles an offer.
const pickShare = 0.7

// Offer is what the KB proposes for one report.
type Offer struct {
	// Results are the search's best results, best first (up to the depth
	// asked for); Pick says which of them to show.
	Results []Result
	// Confidence is how sure search is that the best article is worth
	// offering, 0 to 1 (see OfferConfidence); kb.min_score compares
	// against it.
	Confidence float64
	// Vague reports a text that names nothing to look for ("it's broken",
	// "help, not working"): the person should be asked what is broken
	// rather than be shown articles. Its Confidence is 0.
	Vague bool
}

// Offer searches for query and weighs the best k results (at least 2, so
// the best article has a runner-up to be weighed against).
func (ix *Index) Offer(query string, k int) Offer {
	if ix.vague(query) {
		return Offer{Vague: true}
	}
	res := ix.Search(query, max(k, 2))
	return Offer{Results: res, Confidence: OfferConfidence(res)}
}

// Offer searches for query and weighs the results; see Index.Offer.
func (l *Live) Offer(query string, k int) Offer { return l.ix.Load().Offer(query, k) }

// Pick returns the articles to show at threshold minScore, best first, at
// most n: none when the offer's Confidence is below minScore; otherwise the
// best article, and each next one while it clears the bar on its own: its
// Confidence reaches minScore and pickShare of the best article's. An
// offer is never padded with articles search is unsure of.
func (o Offer) Pick(minScore float64, n int) []Result {
	if o.Vague || len(o.Results) == 0 || n < 1 || o.Confidence < minScore {
		return nil
	}
	bar := max(minScore, pickShare*o.Results[0].Confidence)
	k := 1
	for k < n && k < len(o.Results) && o.Results[k].Confidence >= bar {
		k++
	}
	return o.Results[:k]
}

// OfferConfidence is how sure a search is that its best article is worth
// offering, from 0 to 1: the best result's Confidence c1, less half that of
// the strongest competitor among the others, where a result competes in
// proportion to how far it is about a different problem:
//
//	c1 - max over j of (1 - Agreement(1, j)) · cj / 2
//
// With no agreement at all this is c1 - c2/2, the best article's
// confidence averaged with its lead over the runner-up; a runner-up about
// the same problem (Agreement near 1) takes nothing away. Every part is a
// share of the query's ideal score, so the value does not depend on the
// length of the query or the size of the KB. No results give 0.
func OfferConfidence(res []Result) float64 {
	if len(res) == 0 {
		return 0
	}
	var against float64
	for _, r := range res[1:] {
		against = max(against, (1-Agreement(res[0], r))*r.Confidence)
	}
	return max(0, res[0].Confidence-against/2)
}

// vague reports whether query names nothing to search for: none of its
// words is more than a stop word or a word that says only that something
// is wrong (vagueWords). A word the KB has never seen counts as naming
// something ("the zorblax is broken" is clear, and off-topic).
func (ix *Index) vague(query string) bool {
	for _, t := range ix.an.analyze(query) {
		if !vagueWords[t.term] {
			return false
		}
	}
	return true
}

// vagueWords are the analyzer keys of vagueWordList.
var vagueWords = func() map[string]bool {
	m := make(map[string]bool)
	for w := range wordSet(vagueWordList) {
		m[tableKey(w)] = true
	}
	return m
}()
