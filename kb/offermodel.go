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
// and every query whose article, near-duplicates included, is not in half
// the KB against that half (always negative: the KB cannot answer it).
// Folds are by relevant article, so no query is judged by a model fitted on
// a paraphrase of it; kb eval --fit also scores half the queries with a
// model fitted on the other half only.

// offerBias and offerWeights are the fitted model (see above).
const offerBias = -1.2678

var offerWeights = [numFeatures]float64{
	2.5025,  // confidence
	-0.3021, // cover
	2.1519,  // cover in title/summary/tags
	1.0933,  // rare words
	3.1066,  // title in query
	0.0539,  // pairs
	-4.7036, // runner-up / best
	-0.6176, // agreement of best two
	0.3010,  // log query words
	-0.0050, // unknown words
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
