package kb

import (
	"bytes"
	"math"
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

func TestOfferConfidence(t *testing.T) {
	r := func(c ...float64) []Result {
		out := make([]Result, len(c))
		for i, v := range c {
			out[i] = Result{Confidence: v}
		}
		return out
	}
	for _, tt := range []struct {
		res  []Result
		want float64
	}{
		{nil, 0},
		{r(0.6), 0.6},
		{r(0.8, 0.2), 0.7},
		{r(0.5, 0.5, 0.5), 0.25},
		{r(0.1, 0.1), 0.05},
	} {
		if got := OfferConfidence(tt.res); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("OfferConfidence(%v) = %v, want %v", tt.res, got, tt.want)
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
	rows := EvaluateThresholds(arts, qs, []float64{0, 2})
	// Threshold 0: every query with a match is offered (q1-q3 of 4); q3's
	// offer holds nothing relevant; no good offer is withheld.
	if r := rows[0]; r.Offered != 0.75 || r.GoodWithheld != 0 || math.Abs(r.BadShown-1.0/3) > 1e-9 {
		t.Errorf("threshold 0: %+v, want offered 0.75, good withheld 0, bad shown 1/3", r)
	}
	// Threshold 2 is above any confidence: nothing is offered, so both
	// good offers (q1, q2) are withheld and no bad one shown.
	if r := rows[1]; r.Offered != 0 || r.GoodWithheld != 1 || r.BadShown != 0 || r.MissingShown != 0 {
		t.Errorf("threshold 2: %+v, want nothing offered", r)
	}
	var buf bytes.Buffer
	WriteThresholds(&buf, rows, 2)
	if out := buf.String(); !strings.Contains(out, "good withheld") || !strings.Contains(out, "33.3%") || !strings.Contains(out, "<- default") {
		t.Errorf("table:\n%s", out)
	}
}

// TestThresholdsDev prints the threshold table of the dev split; the
// default kb.min_score (0.2) was chosen from it as the highest threshold
// that withholds under 5% of the good offers.
func TestThresholdsDev(t *testing.T) {
	ix, qs := loadEval(t)
	rows := EvaluateThresholds(ix.Articles(), qs, DefaultThresholds)
	var buf bytes.Buffer
	WriteThresholds(&buf, rows, 0.2)
	t.Logf("dev split:\n%s", buf.String())
	for _, r := range rows {
		if r.Threshold == 0.2 && (r.GoodWithheld > 0.05 || r.MissingShown > 0.8) {
			t.Errorf("at 0.2: %+v; the default no longer fits the dev split", r)
		}
	}
}
