package main

import "fmt"

// defaultKBMinScore is the offer threshold used when kb.min_score is not
// set: on the dev split of the evaluation set it withholds 3.7% of the
// good offers and skips the offer for 37% of the questions the KB has no
// article for (see "helpdesk kb eval" and kb.EvaluateThresholds).
const defaultKBMinScore = 0.2

// kbMinScore resolves kb.min_score: the kb.OfferConfidence (0 to 1) below
// which no article is offered and intake goes straight to its questions.
// 0 offers whatever matches.
func kbMinScore(v *float64) (float64, error) {
	if v == nil {
		return defaultKBMinScore, nil
	}
	if *v < 0 || *v > 1 {
		return 0, fmt.Errorf("kb.min_score: %g is out of range; use 0 (always offer) to 1 (see helpdesk kb eval for the effect of each value)", *v)
	}
	return *v, nil
}
