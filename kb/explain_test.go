package kb

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	ix := NewIndex([]Article{
		{ID: "mfa-phone", Title: "Move MFA to a new phone", Body: "Open the authenticator app on the new phone."},
		{ID: "vpn", Title: "VPN will not connect", Body: "Reconnect the VPN. Error 809 means the port is blocked."},
	})
	ex := ix.Explain(`hi, moving my 2FA to a new phone, "error 809" and 0xdeadbeef`, 2)

	kinds := map[string]TermKind{}
	df := map[string]int{}
	for _, term := range ex.Terms {
		kinds[term.Words] = term.Kind
		df[term.Words] = term.DF
	}
	for words, want := range map[string]TermKind{"hi": KindStop, "moving": KindStem, "2fa": KindSynonym, "809": KindCode, "deadbeef": KindCode} {
		if got, ok := kinds[words]; !ok || got != want {
			t.Errorf("term %q: kind %v (present %v), want %v; terms %+v", words, got, ok, want, ex.Terms)
		}
	}
	if df["deadbeef"] != 0 || df["809"] != 1 || df["2fa"] != 1 {
		t.Errorf("df = %v", df)
	}
	if len(ex.Results) != 2 || ex.Results[0].Article.ID != "mfa-phone" || ex.Results[0].Rank != 1 {
		t.Fatalf("results = %+v", ex.Results)
	}
	// The parts add up to the score, and say where each term was found.
	for _, r := range ex.Results {
		var sum float64
		for _, m := range r.Matches {
			sum += m.Score
		}
		if math.Abs(sum-r.Score) > 1e-3*r.Score {
			t.Errorf("%s: matches add to %.4f, score %.4f", r.Article.ID, sum, r.Score)
		}
	}
	var mfa, pair *TermMatch
	for i, m := range ex.Results[0].Matches {
		switch {
		case m.Term == "mfa":
			mfa = &ex.Results[0].Matches[i]
		case m.Pair:
			pair = &ex.Results[0].Matches[i]
		}
	}
	if mfa == nil || mfa.In[fieldTitle] != 1 || mfa.In[fieldBody] != 1 {
		t.Errorf("mfa match = %+v, want title 1, body 1 (authenticator is a synonym)", mfa)
	}
	if pair == nil {
		t.Errorf("no pair bonus for \"new phone\": %+v", ex.Results[0].Matches)
	}
	if math.Abs(ex.Results[0].Confidence-ex.Results[0].Score/ex.Ideal) > 1e-9 {
		t.Errorf("confidence %.4f, score/ideal %.4f", ex.Results[0].Confidence, ex.Results[0].Score/ex.Ideal)
	}

	var buf bytes.Buffer
	ex.Write(&buf)
	out := buf.String()
	for _, s := range []string{"2fa→mfa[synonym", "(hi)", "deadbeef[code, not in KB]", "quoted ×2", "offer confidence", "mfa-phone", `term "mfa"  (title 1, body 1)`, "pair"} {
		if !strings.Contains(out, s) {
			t.Errorf("explanation lacks %q:\n%s", s, out)
		}
	}
}
