package extract

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"unicode"
)

// regexSample writes random strings a regular expression matches, so the
// tests can make their own samples of every credential format instead of
// copying anyone's. It knows what RE2 syntax the rules use; assertions
// (\b, ^, $) produce nothing, so callers check the result against the
// rule and draw again when it does not fit.
type regexSample struct {
	rng *rand.Rand
}

// capture returns the subexpression of re that is capture group n (0: the
// whole expression).
func capture(re *syntax.Regexp, n int) *syntax.Regexp {
	if n == 0 {
		return re
	}
	if re.Op == syntax.OpCapture && re.Cap == n {
		return re
	}
	for _, sub := range re.Sub {
		if c := capture(sub, n); c != nil {
			return c
		}
	}
	return nil
}

// write appends a random match of re to b.
func (g regexSample) write(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && g.rng.IntN(2) == 0 {
				r = unicode.SimpleFold(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(g.classRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('.') // rules write "hooks.slack.com" and mean the dot
	case syntax.OpCapture:
		g.write(b, re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			g.write(b, sub)
		}
	case syntax.OpAlternate:
		g.write(b, re.Sub[g.rng.IntN(len(re.Sub))])
	case syntax.OpQuest:
		if g.rng.IntN(2) == 0 {
			g.write(b, re.Sub[0])
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := 0, 8
		switch re.Op {
		case syntax.OpPlus:
			lo, hi = 1, 9
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + 8
			}
		}
		for range lo + g.rng.IntN(hi-lo+1) {
			g.write(b, re.Sub[0])
		}
	}
	// OpEmptyMatch, OpBeginLine, OpEndLine, OpBeginText, OpEndText,
	// OpWordBoundary, OpNoWordBoundary, OpNoMatch: nothing to write.
}

// classRune picks a printable ASCII rune from a class (pairs of ranges);
// a class with none (rare) gives its first rune.
func (g regexSample) classRune(ranges []rune) rune {
	var ascii []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := max(ranges[i], 0x21); r <= min(ranges[i+1], 0x7e); r++ {
			ascii = append(ascii, r)
		}
	}
	if len(ascii) == 0 {
		return ranges[0]
	}
	return ascii[g.rng.IntN(len(ascii))]
}
