package kb

import "math"

// The offer model: how likely it is that an offer holds an article that
// answers the report, from the search's evidence (evidence.go), as a
// logistic regression: 1 / (1 + exp(-(bias + Σ weight·feature))).
//
// The weights are fitted on the development split of the evaluation set
// (../shared/eval) by FitOfferModel — `helpdesk kb eval --fit` refits them
// and prints the figures of each fold's model on the queries it was not
// fitted on — over two kinds of searches: every query against the whole
// KB (positive when the OfferDepth best results hold a relevant article),
// and every query whose article is not in half the KB against that half
// (always negative: the KB cannot answer it). Folds are by relevant
// article, so no query is judged by a model fitted on a paraphrase of it.

// offerBias and offerWeights are the fitted model (see above).
const offerBias = -0.9710

var offerWeights = [numFeatures]float64{
	2.4188,  // confidence
	-0.2330, // cover
	2.0548,  // cover in title/summary/tags
	1.0381,  // rare words
	3.1662,  // title in query
	0.0272,  // pairs
	-4.8452, // runner-up / best
	-0.6838, // agreement of best two
	0.2450,  // log query words
	-0.0324, // unknown words
}

// offerProbability is the model's probability for evidence x.
func offerProbability(x [numFeatures]float64) float64 {
	return logistic(offerBias, offerWeights, x)
}

// logistic is 1/(1+exp(-(b + w·x))).
func logistic(b float64, w, x [numFeatures]float64) float64 {
	z := b
	for i := range w {
		z += w[i] * x[i]
	}
	return 1 / (1 + math.Exp(-z))
}
