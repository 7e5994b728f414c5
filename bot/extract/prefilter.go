package extract

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// A cue table is a few dozen regexps run over every message, and most of
// them cannot match it: a message about a printer holds none of the
// words of the MFA, VPN or mailbox cues. Every match of most cues holds
// one of a few literal words (most often the one it starts with), which
// the regexp's syntax tree tells; when the lower-cased message contains
// none of them, the regexp need not run. prefixTable holds those words
// for every regexp of the cue tables, worked out once, on first use (a few
// milliseconds that a program start need not pay before main).

// prefixTable maps a cue regexp to the lower-case strings one of which
// each of its matches contains. A regexp whose matches need no literal
// text is not in it.
var prefixTable = sync.OnceValue(func() map[*regexp.Regexp][]string {
	var all []*regexp.Regexp
	for _, c := range categoryCues {
		all = append(all, c.re)
	}
	for _, r := range deviceRules {
		all = append(all, r.re)
	}
	for _, r := range stepRules {
		all = append(all, r.re)
	}
	for _, rules := range [][]levelRule{impactRules, urgencyRules} {
		for _, r := range rules {
			all = append(all, r.re)
		}
	}
	for _, r := range whenRules {
		all = append(all, r.re)
	}
	for _, r := range productRules {
		all = append(all, r.re)
	}
	out := make(map[*regexp.Regexp][]string, len(all))
	for _, re := range all {
		if pre, ok := literalPrefixes(re); ok {
			out[re] = pre
		}
	}
	return out
})

// maxPrefixes bounds the strings checked for one regexp: past it, the
// checks cost about what the regexp does.
const maxPrefixes = 160

// literalPrefixes returns lower-case strings one of which every match
// of re contains (most often the text it starts with); false when it
// cannot tell.
func literalPrefixes(re *regexp.Regexp) ([]string, bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, false
	}
	pre, ok := requiredOf(tree.Simplify())
	if !ok || len(pre) == 0 || len(pre) > maxPrefixes || slices.Contains(pre, "") {
		return nil, false
	}
	return pre, true
}

// requiredOf returns strings one of which every match of re contains:
// for a sequence, the best of the text it starts with and what each of
// its parts that must match requires ("(?:since )?3 hours ago" needs
// "ago" wherever it starts).
func requiredOf(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false
		}
		return requiredOf(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			r, ok := requiredOf(sub)
			if !ok {
				return nil, false
			}
			out = append(out, r...)
		}
		return out, len(out) <= maxPrefixes
	case syntax.OpConcat:
		var best []string
		if pre, _, ok := prefixesOfSeq(re.Sub); ok && !slices.Contains(pre, "") {
			best = pre
		}
		for _, sub := range re.Sub {
			if r, ok := requiredOf(sub); ok && !slices.Contains(r, "") && betterLiterals(r, best) {
				best = r
			}
		}
		return best, best != nil
	}
	pre, _, ok := prefixesOf(re)
	return pre, ok
}

// betterLiterals reports whether a filters better than b: its shortest
// string is longer, or as long with fewer strings.
func betterLiterals(a, b []string) bool {
	if b == nil {
		return true
	}
	shortest := func(ss []string) int {
		n := len(ss[0])
		for _, s := range ss {
			n = min(n, len(s))
		}
		return n
	}
	ma, mb := shortest(a), shortest(b)
	return ma > mb || ma == mb && len(a) < len(b)
}

// prefixesOf is literalPrefixes for a syntax tree; whole is true when the
// strings are the node's whole matches (it matches only fixed strings),
// so what follows it may extend them.
func prefixesOf(re *syntax.Regexp) (pre []string, whole, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 9 || len(out) > 16 {
				return nil, false, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if l := string(unicode.ToLower(r)); !slices.Contains(out, l) {
					out = append(out, l)
				}
			}
		}
		return out, true, len(out) > 0
	case syntax.OpCapture:
		return prefixesOf(re.Sub[0])
	case syntax.OpPlus:
		pre, _, ok := prefixesOf(re.Sub[0])
		return pre, false, ok
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false, false
		}
		pre, _, ok := prefixesOf(re.Sub[0])
		return pre, false, ok
	case syntax.OpConcat:
		return prefixesOfSeq(re.Sub)
	case syntax.OpAlternate:
		var out []string
		whole := true
		for _, sub := range re.Sub {
			pre, w, ok := prefixesOf(sub)
			if !ok {
				return nil, false, false
			}
			out, whole = append(out, pre...), whole && w
		}
		return out, whole, true
	}
	return nil, false, false
}

// prefixesOfSeq is prefixesOf for a concatenation: the fixed strings of
// its leading parts, joined, and at the first part that is not fixed,
// that part's prefixes (with an optional part, also those of what
// follows it).
func prefixesOfSeq(subs []*syntax.Regexp) (pre []string, whole, ok bool) {
	acc := []string{""}
	cross := func(tails []string) []string {
		if len(acc)*len(tails) > maxPrefixes {
			return nil
		}
		var out []string
		for _, a := range acc {
			for _, t := range tails {
				out = append(out, a+t)
			}
		}
		return out
	}
	started := func() bool { return !slices.Contains(acc, "") }
	for i, sub := range subs {
		switch sub.Op {
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpEndLine,
			syntax.OpBeginText, syntax.OpEndText, syntax.OpEmptyMatch:
			continue
		}
		if sub.Op == syntax.OpQuest || sub.Op == syntax.OpStar || sub.Op == syntax.OpRepeat && sub.Min == 0 {
			opt, _, ok1 := prefixesOf(sub.Sub[0])
			rest, _, ok2 := prefixesOfSeq(subs[i+1:])
			if next := cross(append(opt, rest...)); ok1 && ok2 && next != nil {
				return next, false, true
			}
			return acc, false, started()
		}
		p, w, ok := prefixesOf(sub)
		next := cross(p)
		if !ok || next == nil {
			return acc, false, started()
		}
		acc = next
		if !w {
			return acc, false, true
		}
	}
	return acc, true, started()
}

// lowered is a message lower-cased for the prefix checks; ok is false
// when it holds a rune whose case folding lower-casing does not follow
// (the long s), and then every regexp runs.
type lowered struct {
	text string
	ok   bool
}

func lowerText(text string) lowered {
	return lowered{strings.ToLower(text), !strings.ContainsRune(text, 'ſ')}
}

// mayMatch reports whether re can match the message l was made from.
func (l lowered) mayMatch(re *regexp.Regexp) bool {
	pre, ok := prefixTable()[re]
	if !ok || !l.ok {
		return true
	}
	for _, p := range pre {
		if strings.Contains(l.text, p) {
			return true
		}
	}
	return false
}
