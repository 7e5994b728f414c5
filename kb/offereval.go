package kb

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"text/tabwriter"
)

// OfferDepth is the most articles an offer shows in the threshold
// evaluation: the bot's default kb.suggestions.
const OfferDepth = 3

// ThresholdRow is the effect of one offer threshold (kb.min_score) over a
// query set: the bot shows what Offer.Pick picks at that threshold, at
// most OfferDepth articles, from the OfferCandidates best results.
type ThresholdRow struct {
	Threshold float64
	// Offered is the share of queries that get an offer.
	Offered float64
	// PerOffer is the mean number of articles an offer shows.
	PerOffer float64
	// GoodWithheld is the share of the queries whose top OfferDepth search
	// results hold a relevant article that are shown none: no offer, or
	// one that left the relevant article out.
	GoodWithheld float64
	// BadShown is the share of offers that show no relevant article.
	BadShown float64
	// MissingShown is the share of questions whose article is not in the
	// KB that still get an offer. It is measured on half the KB (articles
	// picked by a hash of their ID): the queries whose relevant articles,
	// near-duplicates included (MergeNearDuplicates), all fell in the other
	// half are the questions the KB cannot answer. A query whose article's
	// near-duplicate stayed in the KB is answerable there, as TwoShown
	// counts it, so it is not among them.
	MissingShown float64
	// TwoShown is the share of the queries with two or more relevant
	// articles (built by MergeNearDuplicates at DefaultDuplicateSim) whose
	// offer shows a relevant one.
	TwoShown float64
}

// DefaultThresholds are the thresholds kb eval reports.
var DefaultThresholds = []float64{0, 0.1, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3, 0.35}

// ThresholdSet is what EvaluateThresholds measured over, for the reader.
type ThresholdSet struct {
	Queries, Missing, Several int // answerable, not-in-KB and several-relevant queries
	Rows                      []ThresholdRow
}

// EvaluateThresholds measures, for each threshold, how often a good
// article is withheld and a bad one shown over qs with articles arts, how
// often a question the KB cannot answer gets an offer anyway (see
// ThresholdRow.MissingShown), and how often a query with several relevant
// articles gets one of them (see ThresholdRow.TwoShown).
func EvaluateThresholds(arts []Article, qs []Query, thresholds []float64) ThresholdSet {
	return buildOfferSet(arts, qs).table(thresholds)
}

// offerSet is the offers of every query of an evaluation: against the whole
// KB (answerable, and several: those with two or more relevant articles
// once near-duplicates are merged) and, for the queries whose articles and
// their near-duplicates are all outside half the KB, against that half
// (missing).
type offerSet struct {
	answerable, missing, several []offerCase
}

// offerCase is one query's offer, the evidence it was read from and the
// articles relevant to it.
type offerCase struct {
	o   Offer
	x   [numFeatures]float64
	rel map[string]int
	grp uint32 // see groupOf
}

// buildOfferSet searches every query of qs as described at offerSet.
func buildOfferSet(arts []Article, qs []Query) offerSet {
	full := NewIndex(arts)
	var half []Article
	inHalf := make(map[string]bool)
	for _, a := range arts {
		if inHalfKB(a.ID) {
			half = append(half, a)
			inHalf[a.ID] = true
		}
	}
	halfIx := NewIndex(half)
	var set offerSet
	newCase := func(ix *Index, text string, rel, judged map[string]int) offerCase {
		o := ix.Offer(text, OfferCandidates)
		return offerCase{o: o, x: o.x, rel: rel, grp: groupOf(judged)}
	}
	for i, q := range MergeNearDuplicates(arts, qs, DefaultDuplicateSim) {
		set.answerable = append(set.answerable, newCase(full, q.Text, qs[i].Relevant, qs[i].Relevant))
		if relevantCount(q.Relevant) > 1 {
			c := set.answerable[len(set.answerable)-1]
			c.rel = q.Relevant
			set.several = append(set.several, c)
		}
		has := false
		for id, g := range q.Relevant {
			has = has || g > 0 && inHalf[id]
		}
		if !has {
			set.missing = append(set.missing, newCase(halfIx, q.Text, qs[i].Relevant, qs[i].Relevant))
		}
	}
	return set
}

// inHalfKB reports whether the article with id is in the half of the KB
// that the not-in-KB questions are asked of (see ThresholdRow.MissingShown).
func inHalfKB(id string) bool {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%2 == 0
}

// clone copies the set so that its offers' confidences can be changed.
func (s offerSet) clone() offerSet {
	return offerSet{slices.Clone(s.answerable), slices.Clone(s.missing), slices.Clone(s.several)}
}

// rescore calls fn on every case of the set.
func (s offerSet) rescore(fn func(c *offerCase)) {
	for _, cs := range [][]offerCase{s.answerable, s.missing, s.several} {
		for i := range cs {
			fn(&cs[i])
		}
	}
}

// table measures the set at each threshold.
func (s offerSet) table(thresholds []float64) ThresholdSet {
	set := ThresholdSet{Queries: len(s.answerable), Missing: len(s.missing), Several: len(s.several)}
	for _, t := range thresholds {
		var offered, shownArts, good, goodWithheld, bad, missingShown, severalShown int
		for _, c := range s.answerable {
			shown := c.o.Pick(t, OfferDepth)
			hit := holdsRelevant(shown, c.rel)
			if holdsRelevant(c.o.Results[:min(OfferDepth, len(c.o.Results))], c.rel) {
				good++
				if !hit {
					goodWithheld++
				}
			}
			if len(shown) > 0 {
				offered++
				shownArts += len(shown)
				if !hit {
					bad++
				}
			}
		}
		for _, c := range s.missing {
			if len(c.o.Pick(t, OfferDepth)) > 0 {
				missingShown++
			}
		}
		for _, c := range s.several {
			if holdsRelevant(c.o.Pick(t, OfferDepth), c.rel) {
				severalShown++
			}
		}
		set.Rows = append(set.Rows, ThresholdRow{Threshold: t, Offered: share(offered, len(s.answerable)),
			PerOffer: share(shownArts, offered), GoodWithheld: share(goodWithheld, good),
			BadShown: share(bad, offered), MissingShown: share(missingShown, len(s.missing)),
			TwoShown: share(severalShown, len(s.several))})
	}
	return set
}

// holdsRelevant reports whether res holds an article relevant in rel.
func holdsRelevant(res []Result, rel map[string]int) bool {
	for _, r := range res {
		if rel[r.Article.ID] > 0 {
			return true
		}
	}
	return false
}

// relevantCount is how many articles rel judges relevant.
func relevantCount(rel map[string]int) int {
	n := 0
	for _, g := range rel {
		if g > 0 {
			n++
		}
	}
	return n
}

// share is n/of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Write prints the set as a table, marking the row of current.
func (s ThresholdSet) Write(w io.Writer, current float64) {
	fmt.Fprintf(w, "%d queries; %d the KB cannot answer (half the KB indexed); %d with two or more relevant articles (near-duplicates merged, cosine ≥ %.2f)\n",
		s.Queries, s.Missing, s.Several, DefaultDuplicateSim)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "min_score\toffered\tper offer\tgood withheld\tbad shown\tnot in KB, shown\ttwo relevant, offered\t\t")
	for _, r := range s.Rows {
		mark := ""
		if r.Threshold == current {
			mark = "<- default"
		}
		fmt.Fprintf(tw, "%.3f\t%.1f%%\t%.2f\t%.1f%%\t%.1f%%\t%.1f%%\t%.1f%%\t%s\t\n",
			r.Threshold, 100*r.Offered, r.PerOffer, 100*r.GoodWithheld, 100*r.BadShown, 100*r.MissingShown, 100*r.TwoShown, mark)
	}
	tw.Flush()
}
