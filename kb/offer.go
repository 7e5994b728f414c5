package kb

// Knowing when to offer: an offer is worth making when an article it shows
// answers the report. Search cannot know that, but it can weigh the
// evidence (evidence.go): how much of the report the best article matches
// (its Confidence, see confidence.go), whether the articles hold the
// report's rarest words and say its words in their title, summary or tags
// rather than only in passing, whether their title restates the report,
// and how close the runner-up comes and whether it is about the same
// problem (Agreement). The offer model (offermodel.go) turns that evidence
// into the offer's Confidence, a probability fitted on the evaluation data.
// "Outlook crashes on start", matching both "App crashes or won't start"
// and "Outlook won't open" in their titles, is a clear report with two
// good answers; "Teams keeps signing me out every hour", matching an
// access-request article only through a "sign out" step in its body, is
// not answered by it.

// OfferCandidates is how many search results an offer asks for at least.
const OfferCandidates = 10

// DefaultMinScore is the offer threshold (kb.min_score) the desk uses when
// its config sets none: the highest of DefaultThresholds at which the
// offer model, scored on queries it was not fitted on (kb eval --fit),
// withholds at most 3% of the good offers on the dev split.
const DefaultMinScore = 0.15

// pickShare is how close to the best article's Confidence another must come
// to be shown beside it. On the dev split, 0.7 against 0.5 withholds 0.4
// points more good offers and shows 0.3 fewer articles an offer.
const pickShare = 0.7

// Offer is what the KB proposes for one report.
type Offer struct {
	// Results are the search's best results, best first (up to the depth
	// asked for); Pick says which of them to show.
	Results []Result
	// Confidence is how likely it is, 0 to 1, that an article of the
	// offer answers the report (the offer model, offermodel.go);
	// kb.min_score compares against it.
	Confidence float64
	// Vague reports a text that names nothing to look for ("it's broken",
	// "help, not working"): the person should be asked what is broken
	// rather than be shown articles. Its Confidence is 0.
	Vague bool
	x     [numFeatures]float64 // the evidence Confidence was read from
}

// Offer searches for query and weighs the best k results (at least
// OfferCandidates).
func (ix *Index) Offer(query string, k int) Offer {
	if ix.vague(query) {
		return Offer{Vague: true}
	}
	var x [numFeatures]float64
	res := ix.search(query, max(k, OfferCandidates), &x)
	if len(res) == 0 {
		return Offer{}
	}
	return Offer{Results: res, Confidence: offerProbability(x), x: x}
}

// Offer searches for query and weighs the results; see Index.Offer.
func (l *Live) Offer(query string, k int) Offer { return l.index().Offer(query, k) }

// Pick returns the articles to show at threshold minScore, best first, at
// most n: none when the offer's Confidence is below minScore; otherwise the
// best article, and each next one while it clears the bar on its own: its
// Confidence (its share of the query's ideal score) reaches pickShare of
// the best article's. An offer is never padded with articles search is
// unsure of.
func (o Offer) Pick(minScore float64, n int) []Result {
	if o.Vague || len(o.Results) == 0 || n < 1 || o.Confidence < minScore {
		return nil
	}
	bar := pickShare * o.Results[0].Confidence
	k := 1
	for k < n && k < len(o.Results) && o.Results[k].Confidence >= bar {
		k++
	}
	return o.Results[:k]
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
