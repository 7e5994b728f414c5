package extract

import (
	"regexp"
	"slices"
	"testing"
)

// TestLiteralPrefixes: strings one of which a match must hold, as far as
// the syntax tells (the longest such, most often the start); none when a
// match needs no literal text.
func TestLiteralPrefixes(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    []string // nil: no filter
	}{
		{`(?i)\b(?:outlook|owa)\b`, []string{"outlook", "owa"}},
		{`(?i)\b(?:re-?boot(?:ed)?)\b`, []string{"boot"}},            // an optional part ends the fixed start; "boot" is in every match
		{`(?i)\b(?:print(?:er|ing)?s? queue)\b`, []string{" queue"}}, // longer than "print"
		{`\bTeams\b`, []string{"teams"}},
		{`(?i)\b(?:\w+ crashed)\b`, []string{" crashed"}},
		{`(?i)^\W*whenever\W*$`, []string{"whenever"}},
		{`(?i)\b(?:(?:since )?\d+ (?:hours|days) ago)\b`, []string{" ago"}},
		{`(?i)\b(?:x?)\b`, nil},
		{`(?i)\b(?:\w+)\b`, nil},
	} {
		got, ok := literalPrefixes(regexp.MustCompile(tc.pattern))
		if !ok {
			got = nil
		}
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("literalPrefixes(%q) = %q, want %q", tc.pattern, got, want)
		}
	}
}

// TestPrefilterNeverSkipsAMatch: whenever a cue regexp matches a message,
// the prefilter lets it run.
func TestPrefilterNeverSkipsAMatch(t *testing.T) {
	msgs := []string{
		"ſtill no wifi on the 3rd floor", // the long s folds to s in a regexp, not in ToLower
		"Outlook KEEPS CRASHING since Monday, rebooted twice",
		"OWA shows 'Something went wrong' — whole office is affected",
		"the Kyocera on floor 2 jams, I re-seated the toner",
		"Mi portátil no arranca desde ayer, ya lo reinicié",
		"VPN drops every 10 min; nur ich, Kollegen haben es nicht",
	}
	for _, c := range extractCases() {
		if len(c.msg) < 4<<10 {
			msgs = append(msgs, c.msg)
		}
	}
	for re := range prefixTable() {
		for _, m := range msgs {
			if re.MatchString(m) && !lowerText(m).mayMatch(re) {
				t.Errorf("prefilter skips %q, which matches %q", re, m)
			}
		}
	}
}
