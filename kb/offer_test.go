package kb

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestConfidence(t *testing.T) {
	ix := NewIndex([]Article{
		{ID: "vpn", Title: "VPN will not connect", Body: "Reconnect the VPN client."},
		{ID: "printer", Title: "Printer offline", Body: "Restart the printer."},
		{ID: "mail", Title: "Outlook asks for password", Body: "Sign in again."},
	})
	for _, tt := range []struct {
		name, query string
		lo, hi      float64 // bounds of the best result's Confidence
	}{
		{"exact title", "vpn will not connect", 0.99, 1},
		{"one word of a long report", "the printer in the canteen smells of burnt toast and coffee", 0, 0.35},
		{"unknown words lower it", "vpn coffee toast sandwich", 0, 0.5},
	} {
		res := ix.Search(tt.query, 3)
		if len(res) == 0 {
			t.Fatalf("%s: no results", tt.name)
		}
		if c := res[0].Confidence; c < tt.lo || c > tt.hi {
			t.Errorf("%s: Confidence = %.3f, want %.2f..%.2f", tt.name, c, tt.lo, tt.hi)
		}
		for _, r := range res {
			if r.Confidence < 0 || r.Confidence > 1 {
				t.Errorf("%s: %s Confidence %.3f outside 0..1", tt.name, r.Article.ID, r.Confidence)
			}
		}
	}
	// The same query against a KB twice the size, with the matching article
	// unchanged, keeps about the same confidence: one threshold for any KB.
	arts := ix.Articles()
	for i := range 40 {
		arts = append(arts, Article{ID: "filler" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Title: "Teams meeting audio", Body: "Check the headset."})
	}
	small := ix.Search("vpn will not connect", 1)[0].Confidence
	big := NewIndex(arts).Search("vpn will not connect", 1)[0].Confidence
	if math.Abs(small-big) > 0.05 {
		t.Errorf("Confidence %.3f in a small KB, %.3f in a big one: should not depend on KB size", small, big)
	}
}

func TestOfferEvidence(t *testing.T) {
	ix := NewIndex(synthetic)
	for _, tt := range []struct {
		name, clear, unclear string // the first must read as surer than the second
	}{
		{"a title restated beats a word in passing", "printer offline", "the network in the canteen"},
		{"the rare words held beat them missing", "outlook send receive error 0x8004010F", "outlook send receive error on my zorblax"},
		{"a clear lead beats a tie between problems", "vpn won't connect", "password phone"},
	} {
		c, u := ix.Offer(tt.clear, OfferCandidates), ix.Offer(tt.unclear, OfferCandidates)
		if c.Confidence <= u.Confidence {
			t.Errorf("%s: Offer(%q).Confidence = %.3f, not above Offer(%q) = %.3f", tt.name, tt.clear, c.Confidence, tt.unclear, u.Confidence)
		}
	}
	for _, q := range []string{"vpn won't connect", "password phone", "the zorblax", "outlook outlook outlook"} {
		o := ix.Offer(q, OfferCandidates)
		if o.Confidence < 0 || o.Confidence > 1 {
			t.Errorf("Offer(%q).Confidence = %v, outside 0..1", q, o.Confidence)
		}
		for i, v := range o.x {
			if v < 0 || v > 1 && i != featTerms || math.IsNaN(v) {
				t.Errorf("Offer(%q): feature %s = %v, outside its range", q, featureNames[i], v)
			}
		}
	}
}

func TestFitLogistic(t *testing.T) {
	// The label follows "title in query" above 0.5, blurred by a second
	// feature that carries no information: the fit must lean on the first.
	var samples []sample
	for i := range 400 {
		var x [numFeatures]float64
		x[featTitle] = float64(i%20) / 19
		x[featPairs] = float64(i%7) / 6
		y := 0.0
		if x[featTitle] > 0.5 {
			y = 1
		}
		if i%10 == 0 { // some noise, so the weights stay finite
			y = 1 - y
		}
		samples = append(samples, sample{x: x, y: y})
	}
	b, w := fitLogistic(samples)
	if w[featTitle] < 3 || math.Abs(w[featPairs]) > 0.5*w[featTitle] {
		t.Errorf("weights title %.2f, pairs %.2f: want title large, pairs small", w[featTitle], w[featPairs])
	}
	var lo, hi [numFeatures]float64
	hi[featTitle] = 1
	if p, q := logistic(b, w, lo), logistic(b, w, hi); p > 0.3 || q < 0.7 {
		t.Errorf("P(no title) = %.2f, P(title) = %.2f: want below 0.3 and above 0.7", p, q)
	}
}

// TestOfferSetHalf checks the split of kb eval --fit's half check: the
// halves partition every kind of case by the second bit of the fold key,
// and the missing cases, whose first bit is what put their article outside
// the half KB, land in both halves.
func TestOfferSetHalf(t *testing.T) {
	cases := func(grps ...uint32) []offerCase {
		var cs []offerCase
		for _, g := range grps {
			cs = append(cs, offerCase{grp: g})
		}
		return cs
	}
	set := offerSet{answerable: cases(0, 1, 2, 3, 6), missing: cases(1, 3, 5, 7), several: cases(2, 4)}
	grps := func(cs []offerCase) []uint32 {
		var gs []uint32
		for _, c := range cs {
			gs = append(gs, c.grp)
		}
		return gs
	}
	tests := []struct {
		p                            uint32
		answerable, missing, several []uint32
	}{
		{0, []uint32{0, 1}, []uint32{1, 5}, []uint32{4}},
		{1, []uint32{2, 3, 6}, []uint32{3, 7}, []uint32{2}},
	}
	for _, tc := range tests {
		h := set.half(tc.p)
		if !slices.Equal(grps(h.answerable), tc.answerable) || !slices.Equal(grps(h.missing), tc.missing) || !slices.Equal(grps(h.several), tc.several) {
			t.Errorf("half(%d) = %v %v %v, want %v %v %v", tc.p, grps(h.answerable), grps(h.missing), grps(h.several),
				tc.answerable, tc.missing, tc.several)
		}
	}
}

func TestAgreement(t *testing.T) {
	ix := NewIndex([]Article{
		{ID: "vpn1", Category: "network", Title: "VPN will not connect", Body: "The VPN client says the server did not respond. Restart the VPN client and check the internet connection."},
		{ID: "vpn2", Category: "network", Title: "VPN connects but internal sites fail", Body: "The VPN client is connected but internal sites do not load. Reconnect the VPN client and flush DNS."},
		{ID: "printer", Category: "printing", Title: "Printer offline", Body: "The printer shows offline and jobs are stuck in the queue. Restart the printer and clear the queue."},
	})
	res := ix.Search("vpn client printer", 3)
	by := map[string]Result{}
	for _, r := range res {
		by[r.Article.ID] = r
	}
	same, other := Agreement(by["vpn1"], by["vpn2"]), Agreement(by["vpn1"], by["printer"])
	if same <= other || same < 0.25 || other > 0.1 {
		t.Errorf("Agreement(vpn1, vpn2) = %.2f, (vpn1, printer) = %.2f: two VPN articles should agree, a printer one not", same, other)
	}
	if self := Agreement(by["vpn1"], by["vpn1"]); math.Abs(self-1) > 1e-6 {
		t.Errorf("Agreement of an article with itself = %v, want 1", self)
	}
}

func TestOfferPick(t *testing.T) {
	r := func(c ...float64) Offer {
		o := Offer{}
		for _, v := range c {
			o.Results = append(o.Results, Result{Article: &Article{}, Confidence: v})
		}
		o.Confidence = c[0]
		return o
	}
	for _, tt := range []struct {
		name  string
		o     Offer
		min   float64
		n     int
		wantN int
	}{
		{"below the bar: nothing", r(0.15, 0.15), 0.2, 3, 0},
		{"clear winner alone", r(0.8, 0.3, 0.25), 0.2, 3, 1},
		{"near equals are shown", r(0.6, 0.5, 0.45), 0.2, 3, 3},
		{"no padding past the bar", r(0.6, 0.5, 0.15), 0.2, 3, 2},
		{"nor with one far behind the best", r(0.9, 0.7, 0.5), 0.2, 3, 2},
		{"at most n", r(0.6, 0.55, 0.5, 0.5), 0.2, 2, 2},
		{"vague: nothing", Offer{Vague: true}, 0, 3, 0},
		{"no results", Offer{}, 0, 3, 0},
	} {
		if got := tt.o.Pick(tt.min, tt.n); len(got) != tt.wantN {
			t.Errorf("%s: Pick picked %d, want %d", tt.name, len(got), tt.wantN)
		}
	}
}

func TestVague(t *testing.T) {
	ix := NewIndex([]Article{
		{ID: "vpn", Title: "VPN will not connect", Body: "Restart the VPN client if it is broken or not working."},
		{ID: "mfa", Title: "MFA phone broken", Body: "When your phone is broken or lost, register a new one."},
	})
	for _, tt := range []struct {
		text  string
		vague bool
	}{
		{"it's broken", true},
		{"help, it doesn't work!!", true},
		{"something is wrong again", true},
		{"es geht nicht, bitte hilfe", true},
		{"no funciona", true},
		{"ça marche pas", true},
		{"", true},
		{"the VPN is broken", false},
		{"my phone broke", false},
		{"the zorblax is broken", false}, // names something, just not in the KB
		{"mein VPN verbindet nicht", false},
	} {
		o := ix.Offer(tt.text, 10)
		if o.Vague != tt.vague {
			t.Errorf("Offer(%q).Vague = %v, want %v", tt.text, o.Vague, tt.vague)
		}
		if o.Vague && (o.Confidence != 0 || len(o.Pick(0, 3)) != 0) {
			t.Errorf("Offer(%q) is vague but offers %v", tt.text, o.Pick(0, 3))
		}
	}
}

func TestEvaluateThresholds(t *testing.T) {
	arts := []Article{
		{ID: "a-vpn", Title: "VPN will not connect"},
		{ID: "a-printer", Title: "Printer offline"},
		{ID: "a-mail", Title: "Outlook asks for password"},
		{ID: "a-wifi", Title: "Wifi drops in the office"},
	}
	qs := []Query{
		{ID: "q1", Text: "vpn will not connect", Relevant: map[string]int{"a-vpn": 1}},
		{ID: "q2", Text: "printer offline", Relevant: map[string]int{"a-printer": 1}},
		{ID: "q3", Text: "outlook password", Relevant: map[string]int{"a-wifi": 1}}, // the top 3 miss it
		{ID: "q4", Text: "zebra", Relevant: map[string]int{"a-mail": 1}},            // matches nothing
	}
	set := EvaluateThresholds(arts, qs, []float64{0, 2})
	rows := set.Rows
	// Threshold 0: every query with a match is offered (q1-q3 of 4); q3's
	// offer holds nothing relevant; no good offer is withheld.
	if r := rows[0]; r.Offered != 0.75 || r.GoodWithheld != 0 || math.Abs(r.BadShown-1.0/3) > 1e-9 || r.PerOffer != 1 {
		t.Errorf("threshold 0: %+v, want offered 0.75, one article each, good withheld 0, bad shown 1/3", r)
	}
	// Threshold 2 is above any confidence: nothing is offered, so both
	// good offers (q1, q2) are withheld and no bad one shown.
	if r := rows[1]; r.Offered != 0 || r.GoodWithheld != 1 || r.BadShown != 0 || r.MissingShown != 0 {
		t.Errorf("threshold 2: %+v, want nothing offered", r)
	}
	var buf bytes.Buffer
	set.Write(&buf, 2)
	if out := buf.String(); !strings.Contains(out, "good withheld") || !strings.Contains(out, "33.3%") ||
		!strings.Contains(out, "<- default") || !strings.Contains(out, "two relevant, offered") {
		t.Errorf("table:\n%s", out)
	}
}

func TestMergeNearDuplicates(t *testing.T) {
	body := "Open the VPN client, choose the gateway, sign in with your badge number and wait for the tunnel icon to turn green before opening intranet pages."
	arts := []Article{
		{ID: "vpn-win", Title: "VPN on Windows", Body: body},
		{ID: "vpn-mac", Title: "VPN on macOS", Body: body + " On a Mac, allow the system extension."},
		{ID: "printer", Title: "Printer offline", Body: "Turn the printer off and on, then clear the queue in settings and print a test page from the tray."},
		{ID: "mail", Title: "Mailbox full", Body: "Archive old messages, empty deleted items and ask for a larger quota when the warning stays."},
	}
	qs := []Query{
		{ID: "q1", Text: "vpn", Relevant: map[string]int{"vpn-win": 1}},
		{ID: "q2", Text: "printer", Relevant: map[string]int{"printer": 1}},
	}
	got := MergeNearDuplicates(arts, qs, DefaultDuplicateSim)
	if r := got[0].Relevant; r["vpn-win"] != 1 || r["vpn-mac"] != 1 || len(r) != 2 {
		t.Errorf("q1 relevant = %v, want both VPN articles", r)
	}
	if r := got[1].Relevant; len(r) != 1 {
		t.Errorf("q2 relevant = %v, want the printer article only", r)
	}
	if len(qs[0].Relevant) != 1 {
		t.Errorf("MergeNearDuplicates changed its input: %v", qs[0].Relevant)
	}
}

// TestMissingExcludesNearDuplicates checks which questions count as ones
// the KB cannot answer: a query whose article is outside the half KB but
// whose near-duplicate is inside it is answerable there, so only the
// query with no article of its problem in the half counts.
func TestMissingExcludesNearDuplicates(t *testing.T) {
	body := "Open the VPN client, choose the gateway, sign in with your badge number and wait for the tunnel icon to turn green before opening intranet pages."
	arts := []Article{
		{ID: "vpn-win", Title: "VPN on Windows", Body: body},
		{ID: "vpn-mac", Title: "VPN on macOS", Body: body + " On a Mac, allow the system extension."},
		{ID: "printer", Title: "Printer offline", Body: "Turn the printer off and on, then clear the queue in settings and print a test page from the tray."},
		{ID: "mail", Title: "Mailbox full", Body: "Archive old messages, empty deleted items and ask for a larger quota when the warning stays."},
	}
	for id, in := range map[string]bool{"vpn-win": true, "vpn-mac": false, "printer": false, "mail": true} {
		if inHalfKB(id) != in {
			t.Fatalf("inHalfKB(%q) = %v; the test's articles assume %v", id, !in, in)
		}
	}
	qs := []Query{
		{ID: "q1", Text: "vpn on my mac", Relevant: map[string]int{"vpn-mac": 1}},   // near-duplicate vpn-win is in the half
		{ID: "q2", Text: "printer offline", Relevant: map[string]int{"printer": 1}}, // nothing of it in the half
		{ID: "q3", Text: "mailbox full", Relevant: map[string]int{"mail": 1}},       // in the half
	}
	set := buildOfferSet(arts, qs)
	if len(set.missing) != 1 || set.missing[0].rel["printer"] != 1 {
		var got []map[string]int
		for _, c := range set.missing {
			got = append(got, c.rel)
		}
		t.Errorf("questions the half KB cannot answer: %v, want only q2's (printer)", got)
	}
}

// TestThresholdsDev prints the threshold table of the dev split with the
// shipped offer model.
func TestThresholdsDev(t *testing.T) {
	ix, qs := loadEval(t)
	set := EvaluateThresholds(ix.Articles(), qs, DefaultThresholds)
	var buf bytes.Buffer
	set.Write(&buf, DefaultMinScore)
	t.Logf("dev split:\n%s", buf.String())
	for _, r := range set.Rows {
		if r.Threshold == DefaultMinScore && (r.GoodWithheld > 0.03 || r.MissingShown > 0.75 || r.TwoShown < 0.85) {
			t.Errorf("at %v: %+v; the default no longer fits the dev split", DefaultMinScore, r)
		}
	}
}

// TestOfferModelDev refits the offer model on the dev split: the shipped
// weights must be the ones the data gives (so a change to the evidence
// cannot leave a stale model behind), and the default threshold must
// withhold at most 3% of the good offers on queries each fold's model was
// not fitted on. Run kb eval --fit to print a new model.
func TestOfferModelDev(t *testing.T) {
	ix, qs := loadEval(t)
	fit := FitOfferModel(ix.Articles(), qs, FitFolds, DefaultThresholds)
	var buf bytes.Buffer
	fit.HeldOut.Write(&buf, DefaultMinScore)
	fit.Write(&buf)
	t.Logf("held out:\n%s", buf.String())
	if math.Abs(fit.Bias-offerBias) > 0.01 {
		t.Errorf("fitted bias %.4f, shipped %.4f: paste kb eval --fit's model into offermodel.go", fit.Bias, offerBias)
	}
	for i, w := range fit.Weights {
		if math.Abs(w-offerWeights[i]) > 0.01 {
			t.Errorf("fitted weight of %s %.4f, shipped %.4f: paste kb eval --fit's model into offermodel.go", featureNames[i], w, offerWeights[i])
		}
	}
	for _, r := range fit.HeldOut.Rows {
		if r.Threshold == DefaultMinScore && r.GoodWithheld > 0.03 {
			t.Errorf("held out, at %v: %+v; withholds more than 3%% of good offers", DefaultMinScore, r)
		}
	}
}
