package kb

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
)

// Fitting the offer model (offermodel.go): logistic regression by
// iteratively reweighted least squares with a small L2 penalty on the
// weights (not the bias), so a feature that adds nothing stays near 0.

// FitFolds is how many folds kb eval --fit cross-validates over.
const FitFolds = 5

// fitLambda is the L2 penalty of FitOfferModel.
const fitLambda = 1

// fitIterations bounds the Newton steps; the fit converges in under ten.
const fitIterations = 50

// sample is one search the model is fitted on: its evidence and whether an
// article it would show is relevant.
type sample struct {
	x   [numFeatures]float64
	y   float64
	grp uint32 // hash of the query's first relevant article, for folds
}

// OfferFit is a fitted offer model and how it did on held-out queries.
type OfferFit struct {
	Bias    float64
	Weights [numFeatures]float64
	Folds   int
	// HeldOut is the threshold table with every query's offer confidence
	// from the model fitted on the other folds.
	HeldOut ThresholdSet
	// SplitHalf is the threshold table of half the queries (by relevant
	// article, see groupOf) scored by the model fitted on the other half
	// only: a harsher check on overfitting than HeldOut, whose models
	// see four fifths of the data.
	SplitHalf ThresholdSet
}

// FitOfferModel fits the offer model on arts and qs (see offermodel.go)
// with folds-fold cross-validation by relevant article.
func FitOfferModel(arts []Article, qs []Query, folds int, thresholds []float64) OfferFit {
	set := buildOfferSet(arts, qs)
	all := set.samples()
	fit := OfferFit{Folds: folds}
	fit.Bias, fit.Weights = fitLogistic(all)
	held := set.clone()
	for f := range folds {
		var train []sample
		for _, s := range all {
			if int(s.grp%uint32(folds)) != f {
				train = append(train, s)
			}
		}
		b, w := fitLogistic(train)
		held.rescore(func(c *offerCase) {
			if int(c.grp%uint32(folds)) == f {
				c.o.Confidence = logistic(b, w, c.x)
			}
		})
	}
	fit.HeldOut = held.table(thresholds)
	b, w := fitLogistic(set.half(0).samples())
	test := set.half(1)
	test.rescore(func(c *offerCase) { c.o.Confidence = logistic(b, w, c.x) })
	fit.SplitHalf = test.table(thresholds)
	return fit
}

// samples is every search of the set as a fitting sample: the answerable
// ones positive when their offer holds a relevant article, the missing
// ones negative.
func (s offerSet) samples() []sample {
	var all []sample
	for _, c := range s.answerable {
		all = append(all, c.sample(true))
	}
	for _, c := range s.missing {
		all = append(all, c.sample(false))
	}
	return all
}

// half returns a copy of the cases of s whose fold key (groupOf) has p
// (0 or 1) as its second bit, so a model fitted on one half can be checked
// on the other. Not the first bit: that is the hash's parity, which also
// picks the half KB of the missing cases, so all of them would fall in one
// half.
func (s offerSet) half(p uint32) offerSet {
	keep := func(cs []offerCase) []offerCase {
		var out []offerCase
		for _, c := range cs {
			if c.grp>>1&1 == p {
				out = append(out, c)
			}
		}
		return out
	}
	return offerSet{keep(s.answerable), keep(s.missing), keep(s.several)}
}

// sample is c as a fitting sample; positive means that it counts as
// positive when its offer holds a relevant article.
func (c *offerCase) sample(positive bool) sample {
	s := sample{x: c.x, grp: c.grp}
	if positive && holdsRelevant(c.o.Results[:min(OfferDepth, len(c.o.Results))], c.rel) {
		s.y = 1
	}
	return s
}

// fitLogistic fits a bias and weights to samples by Newton's method.
func fitLogistic(samples []sample) (float64, [numFeatures]float64) {
	const n = numFeatures + 1 // the bias is parameter 0
	var beta [n]float64
	for range fitIterations {
		var g [n]float64
		var h [n][n]float64
		for _, s := range samples {
			var v [n]float64
			v[0] = 1
			copy(v[1:], s.x[:])
			z := 0.0
			for j := range v {
				z += beta[j] * v[j]
			}
			p := 1 / (1 + math.Exp(-z))
			for j := range v {
				g[j] += (s.y - p) * v[j]
				for k := range v {
					h[j][k] += p * (1 - p) * v[j] * v[k]
				}
			}
		}
		for j := 1; j < n; j++ {
			g[j] -= fitLambda * beta[j]
			h[j][j] += fitLambda
		}
		step := solve(h, g)
		var moved float64
		for j := range beta {
			beta[j] += step[j]
			moved += math.Abs(step[j])
		}
		if moved < 1e-10 {
			break
		}
	}
	var w [numFeatures]float64
	copy(w[:], beta[1:])
	return beta[0], w
}

// solve solves a·x = b by Gaussian elimination with partial pivoting; a is
// positive definite here (a Hessian plus the penalty).
func solve(a [numFeatures + 1][numFeatures + 1]float64, b [numFeatures + 1]float64) [numFeatures + 1]float64 {
	n := len(b)
	for i := range n {
		p := i
		for r := i + 1; r < n; r++ {
			if math.Abs(a[r][i]) > math.Abs(a[p][i]) {
				p = r
			}
		}
		a[i], a[p] = a[p], a[i]
		b[i], b[p] = b[p], b[i]
		for r := i + 1; r < n; r++ {
			f := a[r][i] / a[i][i]
			for c := i; c < n; c++ {
				a[r][c] -= f * a[i][c]
			}
			b[r] -= f * b[i]
		}
	}
	var x [numFeatures + 1]float64
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for c := i + 1; c < n; c++ {
			s -= a[i][c] * x[c]
		}
		x[i] = s / a[i][i]
	}
	return x
}

// groupOf is the fold key of a query: a hash of its first relevant article.
func groupOf(rel map[string]int) uint32 {
	first := ""
	for id, g := range rel {
		if g > 0 && (first == "" || id < first) {
			first = id
		}
	}
	h := fnv.New32a()
	h.Write([]byte(first))
	return h.Sum32()
}

// Write prints the fitted model as Go, ready for offermodel.go.
func (f OfferFit) Write(w io.Writer) {
	fmt.Fprintf(w, "const offerBias = %.4f\n\nvar offerWeights = [numFeatures]float64{\n", f.Bias)
	for i, x := range f.Weights {
		fmt.Fprintf(w, "\t%.4f, // %s\n", x, featureNames[i])
	}
	fmt.Fprintln(w, "}")
}
