package kb

import (
	"fmt"
	"hash/fnv"
	"io"
	"text/tabwriter"
)

// OfferConfidence is how sure a search is that its best article is worth
// offering, from 0 to 1: the mean of the best result's Confidence and its
// lead over the runner-up's (c1 - c2), that is c1 - c2/2; c1 alone when
// there is one result. Both parts are shares of the query's ideal score,
// so the value does not depend on the length of the query or the size of
// the KB. It needs the top two results of a search; none gives 0.
//
// The two parts catch different failures: a low c1 is a report the KB
// matches only loosely, a small lead is a report several articles match
// equally well. On the dev split, as a test of "a relevant article is in
// the top 3" against "the KB has no article for this" (see
// EvaluateThresholds), the mean scores a ROC AUC of 0.877, against 0.849
// for the lead alone, 0.845 for c1 alone and 0.822 for the relative
// margin (c1-c2)/c1.
func OfferConfidence(res []Result) float64 {
	switch len(res) {
	case 0:
		return 0
	case 1:
		return res[0].Confidence
	}
	return max(0, res[0].Confidence-res[1].Confidence/2)
}

// OfferDepth is how many articles an offer shows in the threshold
// evaluation: the bot's default kb.suggestions.
const OfferDepth = 3

// ThresholdRow is the effect of one offer threshold (kb.min_score) over a
// query set: the bot offers the top OfferDepth articles when
// OfferConfidence reaches the threshold, and nothing otherwise.
type ThresholdRow struct {
	Threshold float64
	// Offered is the share of queries that get an offer.
	Offered float64
	// GoodWithheld is the share of the queries whose top OfferDepth hold a
	// relevant article that get no offer.
	GoodWithheld float64
	// BadShown is the share of offers that hold no relevant article.
	BadShown float64
	// MissingShown is the share of questions whose article is not in the
	// KB that still get an offer. It is measured on half the KB (articles
	// picked by a hash of their ID): the queries whose relevant articles
	// all fell in the other half are the questions the KB cannot answer.
	MissingShown float64
}

// DefaultThresholds are the thresholds kb eval reports.
var DefaultThresholds = []float64{0, 0.1, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3, 0.35}

// EvaluateThresholds measures, for each threshold, how often a good
// article is withheld and a bad one shown over qs with articles arts, and
// how often a question the KB cannot answer gets an offer anyway (see
// ThresholdRow.MissingShown).
func EvaluateThresholds(arts []Article, qs []Query, thresholds []float64) []ThresholdRow {
	full := NewIndex(arts)
	var half []Article
	inHalf := make(map[string]bool)
	for _, a := range arts {
		h := fnv.New32a()
		h.Write([]byte(a.ID))
		if h.Sum32()%2 == 0 {
			half = append(half, a)
			inHalf[a.ID] = true
		}
	}
	halfIx := NewIndex(half)

	var answerable, missing []offerOutcome
	for _, q := range qs {
		answerable = append(answerable, outcomeOf(full, q))
		has := false
		for id, g := range q.Relevant {
			has = has || g > 0 && inHalf[id]
		}
		if !has {
			missing = append(missing, outcomeOf(halfIx, q))
		}
	}
	rows := make([]ThresholdRow, len(thresholds))
	for i, t := range thresholds {
		var offered, good, goodWithheld, bad, missingShown int
		for _, o := range answerable {
			shown := o.conf >= t
			if o.relevant {
				good++
			}
			switch {
			case shown && !o.relevant:
				bad++
				offered++
			case shown:
				offered++
			case o.relevant:
				goodWithheld++
			}
		}
		for _, o := range missing {
			if o.conf >= t {
				missingShown++
			}
		}
		rows[i] = ThresholdRow{Threshold: t, Offered: share(offered, len(answerable)),
			GoodWithheld: share(goodWithheld, good), BadShown: share(bad, offered),
			MissingShown: share(missingShown, len(missing))}
	}
	return rows
}

// offerOutcome is what the bot would offer for one query.
type offerOutcome struct {
	conf     float64 // OfferConfidence; -1 when nothing matched
	relevant bool    // a relevant article in the top OfferDepth
}

// outcomeOf searches for q as the bot does.
func outcomeOf(ix *Index, q Query) offerOutcome {
	res := ix.Search(q.Text, OfferDepth)
	o := offerOutcome{conf: OfferConfidence(res)}
	if len(res) == 0 {
		o.conf = -1 // nothing to offer at any threshold
	}
	for _, r := range res {
		o.relevant = o.relevant || q.Relevant[r.Article.ID] > 0
	}
	return o
}

// share is n/of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// WriteThresholds prints rows as a table, marking the row of current.
func WriteThresholds(w io.Writer, rows []ThresholdRow, current float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "min_score\toffered\tgood withheld\tbad shown\tnot in KB, shown\t\t")
	for _, r := range rows {
		mark := ""
		if r.Threshold == current {
			mark = "<- default"
		}
		fmt.Fprintf(tw, "%.3f\t%.1f%%\t%.1f%%\t%.1f%%\t%.1f%%\t%s\t\n",
			r.Threshold, 100*r.Offered, 100*r.GoodWithheld, 100*r.BadShown, 100*r.MissingShown, mark)
	}
	tw.Flush()
}
