package extract

import (
	"regexp"
	"strings"
)

// Bare secrets: a key pasted with nothing around it ("I pasted
// 3f9a…c21 into the config") has no name and may have no known prefix.
// What gives it away is that it was made by a machine: a long run of
// letters and digits mixed at random, or of both cases at random, unlike
// words, names, version numbers and error codes. Such a run is masked
// unless what precedes it says it is an identifier ("Correlation ID:",
// "SHA256:", "commit"), it is part of a web address or an e-mail address,
// or it names a file or host ("3f9a….log", "a1b2….cloudfront.net").

// keyRuns returns the runs of the characters keys are written in that are
// long enough to be one: 14 or more, or two of 8 or more joined by a colon.
// A dot may join parts of one key ("pk.eyJ1….Qk9f…") or end a file or host
// name, and "=" may be part of a key or follow a name (Token=3f9a…).
func keyRuns(text string) [][2]int {
	var runs [][2]int
	for i := 0; i < len(text); {
		if !keyByte(text[i]) {
			i++
			continue
		}
		s, e := i, i
		for e < len(text) && keyByte(text[e]) {
			e++
		}
		i = e
		if e-s >= 8 && e+1 < len(text) && text[e] == ':' {
			e2 := e + 1
			for e2 < len(text) && keyByte(text[e2]) {
				e2++
			}
			if e2-e-1 >= 8 {
				runs = append(runs, [2]int{s, e2})
				i = e2
				continue
			}
		}
		if e-s >= minShortRun {
			runs = append(runs, [2]int{s, e})
		}
	}
	return runs
}

func keyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+/=_~%.-", c) >= 0
}

// urlRe finds web addresses: their paths are left alone (a known webhook
// is a credential format of its own; a query value is a keyword form).
var urlRe = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]{1,20}://[^\s<>"'` + "`" + `]+|\bwww\.[^\s<>"'` + "`" + `]+`)

// idLabels say the value after them identifies something rather than
// grants access ("Correlation ID:", "SHA256", "commit", "Tenant").
var idLabels = wordSet(`id ids identifier identity guid uuid clsid hash sha sha1 sha256 sha512 sha-1 sha-256 md5
	checksum commit revision rev build version serial s/n sn thumbprint fingerprint publickeytoken ticket
	case order tracking reference ref incident trace correlation request activity tenant object device
	event message application app client user account mailbox site group subscription resource directory
	instance policy component entry item folder runspace`)

// idLabelled reports whether the run at text[s:] follows an identifier's
// label: the word before it (past ":", "=", "#", quotes and brackets, and
// "is", "was", "number", "no.") is in idLabels or a name ending in Id,
// ID, Guid or GUID ("RunspaceId", "ExchangeGUID").
func idLabelled(text string, s int) bool {
	i := s
	for range 3 {
		for i > 0 && strings.IndexByte(" \t:=#\"'([{", text[i-1]) >= 0 {
			i--
		}
		j := i
		for j > 0 && (isLetterByte(text[j-1]) || isDigitByte(text[j-1]) || text[j-1] == '/' || text[j-1] == '-') {
			j--
		}
		w := text[j:i]
		if w == "" {
			return false
		}
		lw := asciiLower(w)
		switch {
		case idLabels[lw], strings.HasSuffix(w, "Id"), strings.HasSuffix(w, "ID"), strings.HasSuffix(w, "Guid"), strings.HasSuffix(w, "GUID"):
			return true
		case lw == "is" || lw == "was" || lw == "number" || lw == "no":
			i = j // look past it, to the label
			if i > 0 && text[i-1] == '.' {
				i--
			}
		default:
			return false
		}
	}
	return false
}

// minBareRun is the shortest bare run read as a key; down to minShortRun
// a run must also be letters of both cases and digits with nothing else
// (hostnames like DESKTOP-7HG2KD9 have a hyphen, serial numbers one case).
const (
	minBareRun  = 16
	minShortRun = 14
)

// shortKey reports a short run of letters in both cases and digits only.
func shortKey(s string) bool {
	var upper, lower, digit bool
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isUpperByte(c):
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case isDigitByte(c):
			digit = true
		default:
			return false
		}
	}
	return upper && lower && digit
}

// findBare adds the machine-made runs of text.
func findBare(text string, add func(start, end int, kind string)) {
	var urls [][]int
	if strings.Contains(text, "://") || strings.Contains(text, "www.") {
		urls = urlRe.FindAllStringIndex(text, -1)
	}
	for _, m := range keyRuns(text) {
		s, e := m[0], m[1]
		for e > s && (text[e-1] == '.' || text[e-1] == '-') {
			e-- // the end of a sentence
		}
		if k := strings.IndexByte(strings.TrimRight(text[s:e], "="), '='); k > 0 && !machineMade(text[s:s+k], 8) {
			s += k + 1 // NAME=value: the name is not part of the key
		}
		if inSpans(urls, s) || (s > 0 && (text[s-1] == '@' || text[s-1] == ':')) || (e < len(text) && (text[e] == '@' || text[e] == ':')) {
			continue
		}
		// Two keys joined by a colon ("3cd20d0a:4cfbaec1") are one
		// credential, user and password; IPv6 and MAC addresses have
		// shorter groups and more colons.
		if i := strings.IndexByte(text[s:e], ':'); i >= 0 {
			if pair := text[s:e]; len(pair)-1 >= minBareRun && i >= 8 && looksGenerated(pair[:i]+pair[i+1:]) {
				add(s, e, "")
			}
			continue
		}
		if idLabelled(text, s) {
			continue
		}
		// A file extension after the key is not part of it; a name with a
		// domain after it (two words or more) is a host.
		core, words := text[s:e], 0
		for {
			i := strings.LastIndexByte(core, '.')
			if i < 0 || !plainWord(core[i+1:]) {
				break
			}
			core, words = core[:i], words+1
		}
		if words >= 2 {
			continue
		}
		if looksGenerated(core) || base64Line(text, s, e) {
			add(s, s+len(core), "")
			continue
		}
		// Otherwise each part on its own: a path ("/var/lib/docker/…/3f9a…")
		// or dotted name may hold a key.
		off := s
		for _, part := range strings.FieldsFunc(core, func(r rune) bool { return r == '/' || r == '.' }) {
			i := strings.Index(text[off:], part) + off
			if looksGenerated(part) {
				add(i, i+len(part), "")
			}
			off = i + len(part)
		}
	}
}

// base64Line reports a run that is a whole line of base64, 40 characters
// or more with letters and digits: a line of a key or certificate pasted
// line by line, which may repeat itself too much to look random
// ("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB…").
func base64Line(text string, s, e int) bool {
	lineStart := strings.LastIndexByte(text[:s], '\n') + 1
	lineEnd := strings.IndexByte(text[e:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text) - e
	}
	if e-s < 40 || strings.TrimSpace(text[lineStart:s]) != "" || strings.TrimSpace(text[e:e+lineEnd]) != "" {
		return false
	}
	var letter, digit bool
	for i := s; i < e; i++ {
		c := text[i]
		switch {
		case isLetterByte(c):
			letter = true
		case isDigitByte(c):
			digit = true
		case c != '+' && c != '/' && c != '=':
			return false
		}
	}
	return letter && digit
}

// plainWord: a file extension or a domain label ("log", "com", "cloudfront").
func plainWord(p string) bool {
	if len(p) < 2 || len(p) > 12 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !isLetterByte(p[i]) {
			return false
		}
	}
	return true
}

func inSpans(spans [][]int, i int) bool {
	for _, sp := range spans {
		if i >= sp[0] && i < sp[1] {
			return true
		}
	}
	return false
}

// looksGenerated reports whether a run of key characters was made by a
// machine. Evidence is counted between neighbouring characters: a digit
// next to a letter, and two capitals side by side among lower-case
// letters. Words, CamelCase names, version strings and codes have little
// of it; random keys have it at every third or fourth character. Runs
// whose letters are mostly in word-like stretches ("Windows11Pro2024")
// are not keys.
func looksGenerated(tok string) bool { return machineMade(tok, minBareRun) }

// randomLetters reports a shorter value that looks machine-made, once
// something else (its name) says it may be a secret.
func randomLetters(v string) bool { return machineMade(v, 10) }

func machineMade(tok string, minLen int) bool {
	body := strings.TrimRight(tok, "=")
	n := len(body)
	if n < minLen && !(n >= minShortRun && shortKey(body)) {
		return false
	}
	var upper, lower, digits, evidence, wordy int
	for i := 0; i < n; i++ {
		c := body[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digits++
		}
		if i == 0 {
			continue
		}
		p := body[i-1]
		if isDigitByte(p) && isLetterByte(c) || isLetterByte(p) && isDigitByte(c) {
			evidence++
		}
		if isUpperByte(p) && isUpperByte(c) {
			evidence++ // counted only when there are lower-case letters too, below
		}
	}
	letters := upper + lower
	if letters == 0 || digits+letters < n*3/4 {
		return false // a number, or punctuation with some letters
	}
	if lower == 0 || upper == 0 {
		// One case: only digit-letter mixing is evidence.
		evidence = countMix(body)
	}
	if shannon(body) < 3 {
		return false
	}
	if mix := countMix(body); mix*4 >= n-1 {
		return true // digits and letters mixed throughout: hex, lower-case keys
	}
	if meanSegment(body) >= 4 {
		return false // CamelCase and words: Grant-CsTeamsUpgradePolicy, Windows11Pro2024
	}
	wordy = wordyLetters(body)
	if n >= 24 && (digits > 0 || upper > 0 && lower > 0) && (wordy*10 < letters*3 && shannon(body) >= 3.5 || wordy*4 < letters*3 && shannon(body) >= 4.2) {
		return true // long, varied and little like words: words use fewer letters
	}
	if wordy*10 >= letters*6 {
		return false
	}
	return evidence >= 3 && evidence*5 >= n-1
}

// meanSegment is the mean length of the letters and digits of s cut where
// case or kind changes as names are written: before a capital after a
// lower-case letter, before the capital starting a word after an acronym,
// between letters and digits, at any other character. Names and words
// make long segments; random keys change every character or two.
func meanSegment(s string) float64 {
	segs, chars := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLetterByte(c) && !isDigitByte(c) {
			continue
		}
		chars++
		if i == 0 {
			segs++
			continue
		}
		p := s[i-1]
		switch {
		case !isLetterByte(p) && !isDigitByte(p), isDigitByte(p) != isDigitByte(c),
			isUpperByte(c) && p >= 'a' && p <= 'z',
			isUpperByte(c) && isUpperByte(p) && i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z':
			segs++
		}
	}
	if segs == 0 {
		return 0
	}
	return float64(chars) / float64(segs)
}

// countMix counts digit-letter neighbours.
func countMix(s string) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if isDigitByte(s[i-1]) && isLetterByte(s[i]) || isLetterByte(s[i-1]) && isDigitByte(s[i]) {
			n++
		}
	}
	return n
}

// wordyLetters counts the letters in stretches that read like words:
// three or more letters, at most a capital first (Word, word, WORD),
// vowels among them as in words and never four consonants in a row.
func wordyLetters(s string) int {
	total := 0
	for i := 0; i < len(s); {
		if !isLetterByte(s[i]) {
			i++
			continue
		}
		// A word ends before a capital that follows a lower-case letter
		// (camelCase) or that starts a word after an acronym (IPPSSession).
		j := i + 1
		for j < len(s) && isLetterByte(s[j]) && !(isUpperByte(s[j]) && !isUpperByte(s[j-1])) &&
			!(isUpperByte(s[j]) && j+1 < len(s) && s[j+1] >= 'a' && s[j+1] <= 'z' && isUpperByte(s[j-1])) {
			j++
		}
		run := s[i:j]
		if acronym(run, s[j:]) || len(run) >= 3 && oneCase(run[1:]) && readsLikeWord(strings.ToLower(run)) {
			total += len(run)
		}
		i = j
	}
	return total
}

// acronym reports capitals before a capitalised word: "IPPS" in
// "IPPSSession", "RTD" in "RTDServer".
func acronym(run, rest string) bool {
	if len(run) < 2 || len(run) > 8 || strings.ToUpper(run) != run || len(rest) < 4 || !isUpperByte(rest[0]) {
		return false
	}
	k := 1
	for k < len(rest) && rest[k] >= 'a' && rest[k] <= 'z' {
		k++
	}
	return k >= 4 && readsLikeWord(strings.ToLower(rest[:k]))
}

// readsLikeWord: never five consonants in a row ("strength" has four),
// and a vowel in every five letters overall ("grant", "script").
func readsLikeWord(w string) bool {
	vowels, run := 0, 0
	for i := 0; i < len(w); i++ {
		if strings.IndexByte("aeiouy", w[i]) >= 0 {
			vowels++
			run = 0
		} else if run++; run >= 5 {
			return false
		}
	}
	return vowels > 0 && vowels*4 >= len(w)
}

func oneCase(s string) bool {
	return strings.ToLower(s) == s || strings.ToUpper(s) == s
}

func isDigitByte(c byte) bool  { return c >= '0' && c <= '9' }
func isUpperByte(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
