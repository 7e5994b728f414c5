package extract

import (
	"regexp"
	"sort"
	"strings"
)

// The kinds of secret MaskSecrets reports, in the order it lists them. They
// are also the words inside the markers, so a reader of a stored transcript
// knows what was there without seeing it.
const (
	secretPassword   = "password"
	secretAPIKey     = "api key"
	secretToken      = "token"
	secretPrivateKey = "private key"
)

var secretKinds = []string{secretPassword, secretAPIKey, secretToken, secretPrivateKey}

// secretRule finds one shape of secret. group names the submatch to hide (0:
// the whole match) so the words around it ("my password is") survive and the
// masked text still reads naturally.
type secretRule struct {
	re    *regexp.Regexp
	kind  string // "" means: decided by kindOf from the keyword in submatch 1
	group int
	check func(value string) bool
}

// A value is any quoted string or a run of non-space characters.
const secretValue = `("[^"\n]{1,200}"|'[^'\n]{1,200}'|“[^”\n]{1,200}”|` + "`[^`\\n]{1,200}`" + `|\S+)`

var secretRules = []secretRule{
	// PEM blocks first: they are the largest spans. A paste cut short before
	// the END line is still a key, so the block then runs to the end of text.
	{re: regexp.MustCompile(`(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`), kind: secretPrivateKey},

	// Well-known token shapes are masked wherever they appear.
	{re: regexp.MustCompile(`\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}`), kind: secretAPIKey},
	{re: regexp.MustCompile(`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`), kind: secretAPIKey},
	{re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), kind: secretAPIKey},
	{re: regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}`), kind: secretAPIKey},
	{re: regexp.MustCompile(`\bxox[abposre]-[A-Za-z0-9-]{10,}`), kind: secretToken},
	{re: regexp.MustCompile(`\bxapp-[A-Za-z0-9-]{10,}`), kind: secretToken},
	{re: regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`), kind: secretToken},
	{re: regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{20,}`), kind: secretToken},
	{re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}`), kind: secretToken},
	{re: regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`), kind: secretToken},
	{re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`), kind: secretToken},
	{re: regexp.MustCompile(`https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+`), kind: secretToken},
	{re: regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})`), kind: secretToken, group: 1, check: looksRandom},
	{re: regexp.MustCompile(`(?i)\baws_secret_access_key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})`), kind: secretAPIKey, group: 1},
	// user:password@host in a URL.
	{re: regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@`), kind: secretPassword, group: 1, check: notMarker},

	// Keyword forms. "password: x" and "pw=x" are explicit, so any value
	// counts; "password is x" is also how people describe a problem ("my
	// password is expired"), so common words after it are left alone.
	{re: regexp.MustCompile(`(?i)\b(?:password|passwd|passwort|pwd|pw|passcode|pass ?code|passphrase|pass|pin(?: ?code| number)?)\b["']?\s*(?:[:=]|=>|->)\s*` + secretValue), kind: secretPassword, group: 1, check: notStopword},
	{re: regexp.MustCompile(`(?i)\b(?:password|passwd|pwd|pw|passcode|passphrase|pin(?: ?code| number)?)(?:\s+(?:for|on|to|of)\s+(?:(?:my|the|our)\s+)?[\w@.-]{1,40}(?:\s+[\w@.-]{1,40})?)?\s+(?:is|was|would be|will be|should be)(?:\s+(?:now|still|currently|just|literally|set to|changed to))?\s*:?\s*` + secretValue), kind: secretPassword, group: 1, check: notStopword},
	// "password Summer2026!" with no verb: only values that look made up.
	{re: regexp.MustCompile(`(?i)\b(?:password|passwd|pwd|pw)\s+(\S{6,})`), kind: secretPassword, group: 1, check: looksLikePassword},
	{re: regexp.MustCompile(`(?i)\b(api[_ -]?key|apikey|api[_ -]?secret|access[_ -]?key(?:[_ -]?id)?|secret[_ -]?key|client[_ -]?secret|app[_ -]?secret|secret|private[_ -]?token|access[_ -]?token|auth[_ -]?token|refresh[_ -]?token|bot[_ -]?token|token)\b["']?\s*[:=]\s*["']?([^\s"'` + "`" + `,;]{4,})`), group: 2, check: notStopword},
	{re: regexp.MustCompile(`(?i)\b(api[_ -]?key|access[_ -]?key|secret[_ -]?key|client[_ -]?secret|access[_ -]?token|auth[_ -]?token|bot[_ -]?token|refresh[_ -]?token|token)\s+(?:is|was)\s*:?\s*([^\s"'` + "`" + `,;]{8,})`), group: 2, check: looksRandom},
}

// secretSpan is a stretch of text to mask, or an existing marker to keep.
type secretSpan struct {
	start, end int
	kinds      map[string]bool
	keep       bool // an existing marker: protect it, do not rewrite it
}

// maskMarkerRe finds markers of an earlier pass, so masking twice changes nothing.
var maskMarkerRe = regexp.MustCompile(`\[masked (?:password|api key|token|private key)\]`)

// secretStopwords follow "password is" in descriptions of a problem.
var secretStopwords = wordSet(`not no expired expiring wrong incorrect correct right invalid valid
		the a an my your our still too being been same different changed reset locked blocked
		working accepted rejected fine ok okay new old also case very so probably just and or but
		about going set stored saved there in on at to for from with please definitely already
		required needed missing empty blank forgotten lost unknown n/a none null na it this that
		what which when where why how correct? wrong? showing asking saying shown hidden
		incorrect. wrong. expired. correct. right. fine. locked. reset. changed. updated updating
		failing failed broken somehow apparently suddenly again now only`)

// MaskSecrets replaces passwords, API keys, tokens and private keys in text
// with "[masked <kind>]" markers, so that nothing downstream (the store, the
// log, an LLM prompt) ever holds them. kinds lists what was found, each once,
// in the order password, api key, token, private key; it is nil when nothing
// was. Ordinary talk about secrets ("I forgot my password", "the token
// expired") is left as it is. Masking is idempotent.
func MaskSecrets(text string) (masked string, kinds []string) {
	var spans []secretSpan
	for _, m := range maskMarkerRe.FindAllStringIndex(text, -1) {
		spans = append(spans, secretSpan{start: m[0], end: m[1], keep: true})
	}
	for _, r := range secretRules {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			s, e := m[2*r.group], m[2*r.group+1]
			if s < 0 {
				continue
			}
			s, e = trimValue(text, s, e, r.group != 0)
			if s >= e || (r.check != nil && !r.check(text[s:e])) || overlapsMarker(spans, s, e) {
				continue
			}
			kind := r.kind
			if kind == "" {
				kind = kindOf(text[m[2]:m[3]])
			}
			spans = append(spans, secretSpan{start: s, end: e, kinds: map[string]bool{kind: true}})
		}
	}
	if len(spans) == 0 {
		return text, nil
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	// Merge overlaps so that a secret matched by two rules is hidden whole.
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp.start < last.end {
			if last.keep || sp.keep {
				continue // never grow into or out of an existing marker
			}
			last.end = max(last.end, sp.end)
			for k := range sp.kinds {
				last.kinds[k] = true
			}
			continue
		}
		merged = append(merged, sp)
	}
	found := map[string]bool{}
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, sp := range merged {
		if sp.keep {
			continue
		}
		b.WriteString(text[prev:sp.start])
		first := ""
		for _, k := range secretKinds { // the marker names the most serious kind found
			if sp.kinds[k] {
				found[k] = true
				if first == "" || k == secretPrivateKey {
					first = k
				}
			}
		}
		b.WriteString("[masked " + first + "]")
		prev = sp.end
	}
	if len(found) == 0 {
		return text, nil
	}
	b.WriteString(text[prev:])
	for _, k := range secretKinds {
		if found[k] {
			kinds = append(kinds, k)
		}
	}
	return b.String(), kinds
}

// overlapsMarker reports whether [s, e) touches a marker of an earlier pass
// (the first spans collected), so masking twice changes nothing.
func overlapsMarker(spans []secretSpan, s, e int) bool {
	for _, sp := range spans {
		if !sp.keep {
			break
		}
		if s < sp.end && e > sp.start {
			return true
		}
	}
	return false
}

// trimValue drops the quotes around a quoted value and sentence punctuation
// after a bare one: "my password is Hunter2." keeps its full stop visible,
// which leaks nothing.
func trimValue(text string, s, e int, isValue bool) (int, int) {
	if !isValue || e-s < 2 {
		return s, e
	}
	for _, q := range [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}} {
		if strings.HasPrefix(text[s:e], q[0]) && strings.HasSuffix(text[s:e], q[1]) && e-s >= len(q[0])+len(q[1])+1 {
			return s + len(q[0]), e - len(q[1])
		}
	}
	for e > s && strings.ContainsRune(".,;:)]}>'\"`", rune(text[e-1])) {
		e--
	}
	return s, e
}

// kindOf names what a "keyword: value" pair holds by its keyword.
func kindOf(keyword string) string {
	if strings.Contains(strings.ToLower(keyword), "token") {
		return secretToken
	}
	return secretAPIKey
}

func notMarker(v string) bool { return !strings.Contains(v, "[masked") }

func notStopword(v string) bool {
	return notMarker(v) && !secretStopwords[strings.ToLower(v)]
}

// looksRandom accepts values with a digit, a symbol or a capital past the
// first letter: "Bearer abc.def123" yes, "Bearer authentication" no.
func looksRandom(v string) bool {
	if !notStopword(v) || len(v) < 8 {
		return false
	}
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9', strings.ContainsRune("._~+/=-", r):
			return true
		case r >= 'A' && r <= 'Z' && i > 0:
			return true
		}
	}
	return false
}

// looksLikePassword accepts made-up strings ("Summer2026!", "p@ss") and not
// words or short codes ("reset", "2FA").
func looksLikePassword(v string) bool {
	if !notStopword(v) {
		return false
	}
	var letter, digit, symbol bool
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune("!@#$%^&*+=?~", r):
			symbol = true
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letter = true
		}
	}
	return (letter && digit) || (symbol && (letter || digit))
}

// wordSet is the set of the whitespace-separated words of s; tables built
// with it are read-only once the package is loaded.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}
