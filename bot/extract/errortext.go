package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The error message of a report: quoted text, the text after "error:" or
// "it says", or an error code, kept as the screen shows it.

// quotedSpan is a quoted span: text[start:end] with the quote marks,
// text[inStart:inEnd] without.
type quotedSpan struct{ start, end, inStart, inEnd int }

// maxQuoteBytes bounds a quote; a line ends one anyway. Pasted logs and
// event entries run to a few hundred words.
const maxQuoteBytes = 4000

// quoteSpans finds "…", “…”, '…', ‘…’ and `…` (and ``` blocks). A single
// quote only opens after a non-letter and closes before one, so the
// apostrophes in "can't ... won't" are not a quote.
func quoteSpans(s string) []quotedSpan {
	var out []quotedSpan
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.HasPrefix(s[i:], "```") {
			if j := strings.Index(s[i+3:min(len(s), i+3+4000)], "```"); j >= 0 {
				out = append(out, quotedSpan{i, i + 6 + j, i + 3, i + 3 + j})
				i += 6 + j
				continue
			}
		}
		var closer rune
		switch r {
		case '"':
			closer = '"'
		case '“':
			closer = '”'
		case '`':
			closer = '`'
		case '«':
			closer = '»'
		case '\'', '‘':
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if i > 0 && isWord(prev) {
				i += size
				continue
			}
			closer = '\'' // ’ became ' in sanitize
		}
		if closer == 0 {
			i += size
			continue
		}
		j, found := i+size, false
		for j < len(s) && j < i+maxQuoteBytes {
			c, cs := utf8.DecodeRuneInString(s[j:])
			if c == '\n' {
				break
			}
			if c == closer && j > i+size {
				if r != '\'' && r != '‘' {
					found = true
					break
				}
				next, _ := utf8.DecodeRuneInString(s[j+cs:])
				prev, _ := utf8.DecodeLastRuneInString(s[:j])
				if (j+cs == len(s) || !isWord(next)) && !unicode.IsSpace(prev) {
					found = true
					break
				}
			}
			j += cs
		}
		if !found {
			i += size
			continue
		}
		_, cs := utf8.DecodeRuneInString(s[j:])
		out = append(out, quotedSpan{i, j + cs, i + size, j})
		i = j + cs
	}
	return out
}

var (
	errorishRe = regexp.MustCompile(`(?i)\b(?:error|err|fail\w*|cannot|can'?t|couldn'?t|unable|denied|invalid|incorrect|not|exception|expired|wrong|unavailable|timed? ?out|timeout|problem|refused|unreachable|unauthori[sz]ed|forbidden|blocked|disabled|locked|issue|try again|offline|missing|corrupt\w*|crash\w*|stopped|unexpected|rejected|declined|mismatch|exceeded|violation|unknown|no \w+)\b|0x[0-9a-fA-F]{4,}`)
	quoteCtxRe = regexp.MustCompile(`(?i)\b(?:says?|said|saying|error|message|msg|shows?|showing|shown|displays?|getting|get|got|gives?|gave|popup|pop-up|pops? up|prompt|reads|warning|alert|throws?|threw|dialog|notification|banner|with)\b[^"'“‘` + "`" + `\n]{0,25}\n?\s*$`)
	// colonCtxRe is a sentence that announces a message and ends in a
	// colon before the quote: "I receive an error message that resembles
	// the following in the portal: "…"".
	colonCtxRe = regexp.MustCompile(`(?i)\b(?:error|message|msg|warning|alert|prompt|dialog|notification|following|displays?|displayed|shows?|states?|reads|logged|says)\b[^.!?"“\n]{0,160}:\s*$`)
	// exceptionRe is a program's exception by its type's name, dotted or
	// not, with the message after a colon up to the line's or sentence's
	// end: "System.InvalidOperationException: Sequence contains no
	// elements", "TypeError: x is undefined".
	exceptionRe   = regexp.MustCompile(`\b(?:[A-Za-z_][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error)\b(?::[ \t]*[^\n]*?(?:$|\n|[.!?](?:\s|$)))?`)
	errorColonRe  = regexp.MustCompile(`(?i)\b(?:error(?: message| msg| code)?|stop code|exception|alert|warning)\s*[:=]\s*(.+?)\s*(?:$|\n|[.!?](?:\s|$))`)
	saysRe        = regexp.MustCompile(`(?i)\b(\w+)\s+(?:just\s+|only\s+|keeps\s+|still\s+|now\s+)?(?:says|said|saying|reads|pops up with|comes up with|shows|showed|showing|displays|displayed|gives me|gave me|throws|threw|returns|returned)\s*:?\s+(.+?)\s*(?:$|\n|[.!?](?:\s|$))`)
	saysCommentRe = regexp.MustCompile(`(?i),?\s+(?:but|although|though|even though|however|whereas|while)\s+(?:there|it|i|we|the|nothing|no|nobody|everything)\b`)
	saysAnyRe     = regexp.MustCompile(`(?i)^(?:says|said|saying|reads|pops up with|comes up with)$`)
	personRe      = regexp.MustCompile(`(?i)^(?:he|she|they|manager|boss|colleague|coworker|someone|somebody|everyone|guy|lady|friend|wife|husband|teammate|you|who|doc|kb|article|wiki|policy|lead|mum|mom|dad)$`)
	errorCodeRes  = []*regexp.Regexp{
		regexp.MustCompile(`\b0x[0-9A-Fa-f]{4,8}\b`),
		regexp.MustCompile(`\bAADSTS\d{4,6}\b`),
		regexp.MustCompile(`(?i)\bHTTP(?:/\d(?:\.\d)?)?\s*(?:error\s*)?[1-5]\d\d\b`),
		regexp.MustCompile(`(?i)\b(?:error|err|exit|fehler|fehlercode|erreur|código de error|code d'erreur)(?: code| no\.?| number| nr\.?)?\s*#?\s*-?\d{2,6}\b`),
		regexp.MustCompile(`(?i)\b[45]\d\d (?:error|forbidden|not found|unauthori[sz]ed|bad gateway|bad request|service unavailable|internal server error|gateway time-?out)\b`),
		regexp.MustCompile(`\bORA-\d{4,5}\b`),
		regexp.MustCompile(`\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+){2,}\b`),
		regexp.MustCompile(`(?i)\bcaa[0-9a-f]{5}\b`),
	}
)

// errorTextOf finds the error message, kept verbatim: a quoted message
// first, then the text after "error:" or "it says", then an error code.
func errorTextOf(t string, quotes []quotedSpan) string {
	for _, q := range quotes {
		in := strings.TrimSpace(t[q.inStart:q.inEnd])
		if in == "" || maskMarkerRe.MatchString(in) && len(in) < 24 || nameCtxRe.MatchString(t[max(0, q.start-30):q.start]) {
			continue
		}
		if len(in) > 80 && t[q.start] != '`' && firstPersonRe.MatchString(in) {
			// A forwarded message quoting its error: the inner quote.
			for _, iq := range quoteSpans(in) {
				if iq.start == 0 && iq.end == len(in) {
					break // only quoted twice: the app's own words ("We found a problem…")
				}
				if inner := strings.TrimSpace(in[iq.inStart:iq.inEnd]); errorishRe.MatchString(inner) {
					return inner
				}
			}
		}
		if t[q.start] == '`' || errorishRe.MatchString(in) || quoteCtxRe.MatchString(t[max(0, q.start-60):q.start]) ||
			colonCtxRe.MatchString(t[max(0, q.start-200):q.start]) {
			if m := stackFrameRe.FindStringIndex(in); m != nil && m[0] > 0 {
				in = strings.TrimSpace(in[:m[0]]) // the exception, not its stack
			}
			return in
		}
	}
	if m := errorColonRe.FindStringSubmatchIndex(t); m != nil {
		if v := stripQuotes(t[m[2]:m[3]]); v != "" {
			if f := stackFrameRe.FindStringIndex(v); f != nil && f[0] > 0 {
				return strings.TrimSpace(v[:f[0]]) // the exception, not its stack or the words after it
			}
			for _, re := range errorCodeRes { // "error: 0x80070005 when installing X": the code
				if c := re.FindStringIndex(v); c != nil && c[0] == 0 {
					return v[:c[1]]
				}
			}
			// "Error: The network path was not found. (0x80070035)": the
			// code in brackets after it belongs to it.
			if c := codeAfterRe.FindStringIndex(t[m[3]:]); c != nil {
				return v + t[m[3]:m[3]+c[1]]
			}
			return v
		}
	}
	for _, m := range saysRe.FindAllStringSubmatchIndex(t, -1) {
		subj, v := t[m[2]:m[3]], stripQuotes(t[m[4]:m[5]])
		verb := strings.Fields(strings.TrimSpace(t[m[3]:m[4]]))
		if personRe.MatchString(subj) || passiveRe.MatchString(subj) || v == "" || len(verb) == 0 {
			continue
		}
		if describedRe.MatchString(verb[len(verb)-1]) && articleRe.MatchString(v) {
			continue // "the week shows the wrong offset": a description, not a message
		}
		if paraphraseRe.MatchString(v) {
			continue // "it says I need permission": told in the person's words
		}
		// Unquoted, the message ends where the person's own comment on
		// it starts: "shows Paper jam in tray 2 but there is no paper".
		// Whether it is an error is read on the whole, comment included
		// ("… but there is no paper stuck" says something is wrong).
		if saysAnyRe.MatchString(verb[len(verb)-1]) || (errorishRe.MatchString(v) && strings.Contains(v, " ")) {
			if c := saysCommentRe.FindStringIndex(v); c != nil && c[0] > 0 {
				v = v[:c[0]]
			}
			return strings.TrimPrefix(v, "that ")
		}
	}
	best, pos := "", len(t)+1
	for _, re := range errorCodeRes {
		if m := re.FindStringIndex(t); m != nil && m[0] < pos {
			best, pos = t[m[0]:m[1]], m[0]
		}
	}
	// A program's exception pasted bare, with its message and without its
	// stack ("java.lang.NullPointerException at com.foo.Bar(…)"), unless
	// an error code comes first.
	for _, m := range exceptionRe.FindAllStringIndex(t, -1) {
		if m[0] >= pos {
			break
		}
		if v := exceptionText(t[m[0]:m[1]], exceptionLeadRe.MatchString(t[max(0, m[0]-16):m[0]])); v != "" {
			return v
		}
	}
	return best
}

// exceptionLeadRe ends with words that introduce an exception: "I get a
// ValueError", "fails with KeyError", "throws NullPointerException".
var exceptionLeadRe = regexp.MustCompile(`(?i)\b(?:(?:get|gets|got|getting|hit|hits|see|saw|throws?|threw|raises?|raised) (?:a|an)|(?:fail\w*|crash\w*|die[sd]?|exit\w*|abort\w*|stops?|stopped) with|throws?|threw|raises?|raised)\s+$`)

// exceptionText is an exceptionRe match without the stack after it; ""
// for a bare CamelCase word ending in Error, which may well be a name
// ("ClearError"), unless a message follows it after a colon or words that
// introduce an exception come before it (led).
func exceptionText(v string, led bool) string {
	if f := stackFrameRe.FindStringIndex(v); f != nil && f[0] > 0 {
		v = v[:f[0]]
	}
	v = strings.TrimRight(strings.TrimSpace(v), ".,;")
	if strings.HasSuffix(v, "Error") && !strings.Contains(v, ".") && !led {
		return ""
	}
	return v
}

// LooksLikeError reports whether an answer to "what does the error say?"
// reads like an error message: error words or an error code, not a time
// or a device.
func LooksLikeError(text string) bool {
	if errorishRe.MatchString(text) {
		return true
	}
	for _, re := range errorCodeRes {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

var (
	// nameCtxRe ends just before a quoted name, which is no error:
	// "display name 'Events Team'".
	nameCtxRe = regexp.MustCompile(`(?i)\b(?:name|named|called|titled|subject|display name|shows as|label(?:led)?)\s*[:=]?\s*$`)
	// firstPersonRe tells a quoted message someone wrote from an error.
	firstPersonRe = regexp.MustCompile(`\b(?:I|I'm|I've|[Mm]y|[Mm]e|[Ww]e|[Oo]ur)\b`)
	// stackFrameRe is where a stack trace starts after the exception.
	stackFrameRe = regexp.MustCompile(`\s+at\s+[\w.$<>]+\(`)
	// codeAfterRe is an error code in brackets right after the message.
	codeAfterRe = regexp.MustCompile(`^[.!]?\s*\((?:0x[0-9A-Fa-f]{4,8}|(?i:error|code) ?-?\d{2,6}|\d{3,6})\)`)
	// passiveRe is a verb's subject that makes it passive: "is displayed
	// as Status unknown" describes, it quotes nothing.
	passiveRe = regexp.MustCompile(`(?i)^(?:is|are|was|were|be|been|being|not|isn't|aren't|wasn't|weren't|never)$`)
	// describedRe and articleRe: "shows the incorrect offset" names what
	// is seen; a message shown starts with its own words.
	describedRe = regexp.MustCompile(`(?i)^(?:shows|showed|showing|displays|displayed)$`)
	articleRe   = regexp.MustCompile(`^(?:the|a|an|some|no|any|only|all)\s`)
	// paraphraseRe is what a message "says" in the person's own words.
	paraphraseRe = regexp.MustCompile(`(?i)^(?:that )?(?:i|i'm|i've|my|me|we|our|you|it's)\b|\b(?:or something|or so|or similar|etc)\W*$|^(?:the )?same(?: thing| error| message| as (?:before|yesterday|always))?(?: again)?\W*$`)
)

// stripQuotes trims one pair of quote marks around v.
func stripQuotes(v string) string {
	v = strings.TrimSpace(v)
	for _, q := range [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}, {"‘", "’"}} {
		if len(v) >= len(q[0])+len(q[1])+1 && strings.HasPrefix(v, q[0]) && strings.HasSuffix(v, q[1]) {
			return strings.TrimSpace(v[len(q[0]) : len(v)-len(q[1])])
		}
	}
	return v
}
