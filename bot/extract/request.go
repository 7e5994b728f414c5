package extract

import (
	"regexp"
	"strings"
)

// Service requests ask for something ("I need a second monitor") rather
// than report something broken. The desk's service catalog names what can
// be asked for; these functions read the asking.

// requestCue matches phrasing that asks for something rather than reports a
// fault; the catalog keyword alone is not enough ("my monitor is broken" is
// an incident, "I need a second monitor" a request).
var requestCue = regexp.MustCompile(`(?i)\b(i need|i'd like|i would like|can i (get|have)|could i (get|have)|may i have|please (install|add|give|create|set up|order)|request(ing)?|looking for|we need|need (a|an|to get|to have|to (restore|recover|install|order|set up|add|create))|(i |we )?need (\d+|two|three|four|five|six|ten|several) |get me|order (a|an)|set up (a|an)|requesting|new starter|new hire|new joiner)\b`)

// problemCue matches a fault report, which stays an incident even when it
// also says "I need".
var problemCue = regexp.MustCompile(`(?i)\b(broken|not working|doesn'?t work|won'?t|can'?t|cannot|crash\w*|error|fail\w*|stopped|keeps|issue|problem|denied|locked|slow|frozen|stuck)\b`)

// itemAfter captures what someone asks for: "I need a second monitor" →
// "second monitor".
var itemAfter = regexp.MustCompile(`(?i)\b(?:need|like|get|have|install|order|add me to|access to)\s+(?:a |an |the |me |some )?(?:new )?([^.,;!?\n]{2,60})`)

// politeTail is the courtesy at the end of a request, not part of the item.
var politeTail = regexp.MustCompile(`(?i)(\s+(please|pls|plz|thanks|thank you|asap|if possible))+\s*$`)

// explicitAsk is a plain ask for an action the desk performs: it makes a
// request even beside problem words ("my monitor died, can I get a
// replacement?", "my badge isn't linked, can you link it?"). Fixing,
// resetting or wiping stay incidents.
var explicitAsk = regexp.MustCompile(`(?i)\b(?:(?:can|could|would|may) (?:you|someone|somebody|i|we|u) (?:please |pls |kindly |also )?(?:give|add|create|set ?up|install|put|link|update|activate|enable|grant|order|provide|restore|rename|move|book|get|have|sort out|arrange|assign|extend)|please (?:create|add|activate|enable|grant|give|set ?up|install|order|provide|link|move|restore|rename|book|arrange|assign)|i'?d like|i would like|requesting|(?:he|she|they)(?:'ll| will) need|needs? (?:an? |the usual |access|new )|who (?:do|can|should) i (?:talk to|ask|contact) about|(?:pouvez|pourriez)-vous (?:me |nous |lui )?(?:donner|accorder|installer|créer|ajouter|activer|commander|fournir|ouvrir|attribuer)|könnten sie|können sie mir|kannst du mir|me (?:puedes|pueden|podrías|podrían) (?:dar|instalar|crear|añadir)|necesito (?:acceso|una?|instalar))\b|^\W*(?:request|access to)\b`)

// requestNounRe is "request" as a thing, not an ask.
var requestNounRe = regexp.MustCompile(`(?i)\b(?:meeting|calendar|access|pull|merge|friend|join|sharing|connection|service|change|http|api|sync) requests?\b`)

// lossCue is a lost or stolen device: an incident whatever is asked.
var lossCue = regexp.MustCompile(`(?i)\b(?:lost|stolen|theft|hacked|phish\w*|left (?:it|my \w+) (?:in|on|at))\b`)

// neededAsk is "X needed" as an ask ("laptop needed for the new
// starter"), not a deadline ("board packs needed by 4pm").
var neededAsk = regexp.MustCompile(`(?i)\b(?:new )?\w+ (?:account )?needed(?:\s+(?:for|asap|please|urgently)\b|\s*(?:[.!?,;]|$))`)

// approvalCue is a manager's approval, which only a request carries
// ("approved by Rahul", "my manager ok'd it").
var approvalCue = regexp.MustCompile(`(?i)\b(?:approved|ok'?d|okayed|signed off|agreed) by\b|\bmy (?:manager|boss|line manager)\b[^.!?\n]{0,40}\b(?:approved|ok'?d|okayed|agreed|signed off|is (?:ok|fine) with)\b`)

// AsksFor reports whether text asks for something rather than reports a
// fault.
//
// What a screen says is not the person asking: "Please install the
// update", "You need a license" quoted from an error ask nothing, and a
// "meeting request" is a thing in a calendar. A quoted message in the
// first person ("Can you give me access?") is someone's own ask,
// forwarded, and counts.
func AsksFor(text string) bool {
	if lossCue.MatchString(text) {
		return false
	}
	// Bounded like Extract, and the quotes blanked in one pass, so a
	// long message full of quotes costs linear time, not a copy per quote.
	text = blankOut(capBytes(text, maxExtractBytes), requestNounRe)
	var screen [][]int
	for _, q := range quoteSpans(text) {
		if !firstPersonRe.MatchString(text[q.inStart:q.inEnd]) {
			screen = append(screen, []int{q.start, q.end})
		}
	}
	text = blankSpans(text, screen, 0)
	return explicitAsk.MatchString(text) || neededAsk.MatchString(text) || approvalCue.MatchString(text) ||
		requestCue.MatchString(text) && !problemCue.MatchString(text)
}

// restoreAsk asks for something lost or damaged back: a file, a mail, a
// version.
var restoreAsk = regexp.MustCompile(`(?i)\b(?:restore|recover|undelete|get (?:\S+ ){0,5}back|(?:previous|older|earlier|last week'?s|yesterday'?s) versions?|roll ?back)\b`)

// AsksRestore reports whether text asks for something lost or damaged
// back ("can I get yesterday's version back?", "please restore the
// folder"), which no install or hardware form fits.
func AsksRestore(text string) bool {
	return restoreAsk.MatchString(text)
}

// RequestedItem is what text asks for, as the person put it ("second
// monitor"), or "" when it cannot tell.
func RequestedItem(text string) string {
	m := itemAfter.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(politeTail.ReplaceAllString(m[1], ""))
}

// ContainsWord reports whether phrase occurs in s on word boundaries.
func ContainsWord(s, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		if (start == 0 || !isWordByte(s[start-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ContentWords returns the lower-cased words of s that carry meaning, to
// tell whether two reports are about the same thing.
func ContentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) >= 3 && !stopwords[w] {
			out[w] = true
		}
	}
	return out
}

var stopwords = wordSet(`the and but can cant not won don doesn isn with from this that since my for
	have has was are any all again still working work when just get help please today morning
	yesterday keeps`)
