package extract

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
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

// secretRule finds one shape of secret the credential formats of
// secrets_gitleaks.go and the keyword forms of secrets_keyword.go leave
// out: private keys, URLs and headers with credentials, command lines, the
// way people write a password in a sentence. group names the submatch to
// hide (0: the whole match) so the words around it ("my password is")
// survive and the masked text still reads naturally.
type secretRule struct {
	keywords []string // lower case; the rule runs only when one occurs in the text
	re       *regexp.Regexp
	kind     string // "" means: decided by kindOf from the keyword in submatch 1
	group    int
	check    func(value string) bool
}

// A value is any quoted string or a run of non-space characters.
const secretValue = `("[^"\n]{1,200}"|'[^'\n]{1,200}'|“[^”\n]{1,200}”|` + "`[^`\\n]{1,200}`" + `|\S+)`

var secretRules = []secretRule{
	// PEM blocks first: they are the largest spans. A paste cut short before
	// the END line is still a key, so the block then runs to the end of text.
	{keywords: []string{"-----begin"}, re: regexp.MustCompile(`(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`), kind: secretPrivateKey},
	// PuTTY key files carry their private part after "Private-Lines:".
	{keywords: []string{"putty-user-key"}, re: regexp.MustCompile(`(?s)PuTTY-User-Key-File-\d:.*?Private-Lines: *\d+\s+(.*?)(?:Private-MAC|\z)`), kind: secretPrivateKey, group: 1},

	// Token shapes people paste that the rule set leaves to context.
	{keywords: []string{"sk-"}, re: regexp.MustCompile(`\bsk-(?:proj-|ant-|live-|test-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}`), kind: secretAPIKey},
	{keywords: []string{"k_live_", "k_test_"}, re: regexp.MustCompile(`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`), kind: secretAPIKey},
	{keywords: []string{"akia", "asia", "abia", "acca", "a3t"}, re: regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[0-9A-Z]{16}\b`), kind: secretAPIKey},
	{keywords: []string{"xox"}, re: regexp.MustCompile(`\bxox[abposre]-[A-Za-z0-9-]{10,}`), kind: secretToken},
	{keywords: []string{"xapp-"}, re: regexp.MustCompile(`\bxapp-[A-Za-z0-9-]{10,}`), kind: secretToken},
	{keywords: []string{"gh"}, re: regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`), kind: secretToken},
	{keywords: []string{"github_pat_"}, re: regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{20,}`), kind: secretToken},
	{keywords: []string{"gl"}, re: regexp.MustCompile(`\bgl(?:pat|dt|ptt|rt|cbt|soat|ffct|imt|agent|oas)-[A-Za-z0-9_-]{20,}`), kind: secretToken},
	{keywords: []string{"hf_"}, re: regexp.MustCompile(`\bhf_[A-Za-z0-9]{30,}`), kind: secretToken},
	{keywords: []string{"eyj"}, re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`), kind: secretToken},
	{keywords: []string{":a"}, re: regexp.MustCompile(`\b\d{5,16}:A[A-Za-z0-9_-]{34}\b`), kind: secretToken},                      // Telegram bot
	{keywords: []string{"|", "%7c"}, re: regexp.MustCompile(`\b\d{15,16}(?:\||%7[Cc])[0-9A-Za-z_-]{27,40}\b`), kind: secretToken}, // Facebook app
	// Webhook URLs are credentials: whoever has one can post as the app.
	{keywords: []string{"hooks.slack.com"}, re: regexp.MustCompile(`(?i)(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_+-]+`), kind: secretToken},
	{keywords: []string{"discord"}, re: regexp.MustCompile(`(?i)(?:https?://)?(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v\d+/)?webhooks/\d+/[A-Za-z0-9_-]+`), kind: secretToken},
	{keywords: []string{"webhook.office.com"}, re: regexp.MustCompile(`(?i)(?:https?://)?[a-z0-9-]+\.webhook\.office\.com/webhook(?:b2)?/[^\s"'<>]+`), kind: secretToken},
	{keywords: []string{"logic.azure.com"}, re: regexp.MustCompile(`(?i)(?:https?://)?[a-z0-9.-]+\.logic\.azure\.com[^\s"'<>]*[?&]sig=[^\s"'<>&]+`), kind: secretToken},
	// user:password@host in a URL.
	{keywords: []string{"://"}, re: regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@`), kind: secretPassword, group: 1, check: notMarker},
	// Authorization headers, with or without their scheme.
	{keywords: []string{"authori"}, re: regexp.MustCompile(`(?i)\b(?:proxy-)?authori[sz]ation["']?[ \t]*[:=][ \t]*["']?(?:(?:basic|bearer|token|bot|digest|negotiate|ntlm|apikey|sso-key|key)[ \t]+)?([^\s"',;]{6,})`), kind: secretToken, group: 1, check: notStopword},
	{keywords: []string{"basic"}, re: regexp.MustCompile(`\b[Bb]asic[ \t]+([A-Za-z0-9+/]{8,}={0,2})`), kind: secretPassword, group: 1, check: basicCredentials},
	{keywords: []string{"bearer"}, re: regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})`), kind: secretToken, group: 1, check: looksRandom},
	{keywords: []string{"aws_secret_access_key"}, re: regexp.MustCompile(`(?i)\baws_secret_access_key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})`), kind: secretAPIKey, group: 1},
	// Command lines: curl -u user:password, mysql -pSECRET, sshpass -p SECRET,
	// PowerShell's ConvertTo-SecureString "SECRET".
	{keywords: []string{"-u", "--user"}, re: regexp.MustCompile(`(?:^|[\s'"])(?:-u|--user|--proxy-user|-U)(?:[ \t]+|=)["']?[^\s:'"]+:([^\s'"]+)`), kind: secretPassword, group: 1, check: notMarker},
	{keywords: []string{"mysql", "mariadb"}, re: regexp.MustCompile(`(?i)\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]*?[ \t]-p([^\s'"]+)`), kind: secretPassword, group: 1, check: notMarker},
	{keywords: []string{"sshpass"}, re: regexp.MustCompile(`(?i)\bsshpass[ \t]+-p[ \t]*["']?([^\s'"]+)`), kind: secretPassword, group: 1, check: notMarker},
	{keywords: []string{"convertto-securestring"}, re: regexp.MustCompile(`(?i)\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?["']([^"'\n]+)["']`), kind: secretPassword, group: 1, check: notMarker},
	// A BitLocker recovery key unlocks the disk it belongs to.
	{keywords: []string{"-"}, re: regexp.MustCompile(`\b\d{6}(?:-\d{6}){7}\b`), kind: secretPassword},

	// How people write a password in a sentence: "my password is x",
	// "the PIN for the door was 4821". Descriptions of a problem use the
	// same words ("my password is expired"), so common words after them
	// are left alone, and a PIN needs a digit.
	{keywords: []string{"pass", "pw", "kennwort", "contrase"}, re: regexp.MustCompile(`(?i)\b(?:password|passwd|pwd|pw|passcode|passphrase|passwort|kennwort|contraseña|mot de passe)(?:[ \t]+(?:for|on|to|of)[ \t]+(?:(?:my|the|our)[ \t]+)?[\w@.-]{1,40}(?:[ \t]+[\w@.-]{1,40})?)?[ \t]+(?:is|was|would be|will be|should be|ist|es|est)\b(?:[ \t]+(?:now|still|currently|just|literally|set to|changed to))?(?:[ \t]*:[ \t]*|[ \t]+)` + secretValue), kind: secretPassword, group: 1, check: notStopword},
	{keywords: []string{"pin"}, re: regexp.MustCompile(`(?i)\bpin(?: ?code| number)?(?:[ \t]+(?:for|on|to|of)[ \t]+(?:(?:my|the|our)[ \t]+)?[\w@.-]{1,40})?[ \t]+(?:is|was)\b(?:[ \t]+(?:now|still))?(?:[ \t]*:[ \t]*|[ \t]+)` + secretValue), kind: secretPassword, group: 1, check: pinLike},
	// "password Summer2026! doesn't work" with no verb: only values that look made up.
	{keywords: []string{"pass", "pw"}, re: regexp.MustCompile(`(?i)\b(?:password|passwd|pwd|pw)[ \t]+(\S{6,})`), kind: secretPassword, group: 1, check: looksLikePassword},
	{keywords: []string{"key", "token", "secret"}, re: regexp.MustCompile(`(?i)\b(api[_ -]?key|access[_ -]?key|secret[_ -]?key|client[_ -]?secret|access[_ -]?token|auth[_ -]?token|bot[_ -]?token|refresh[_ -]?token|token|key|secret)[ \t]+(?:is|was)[ \t]*:?[ \t]*([^\s"'` + "`" + `,;]{8,})`), group: 2, check: looksRandom},
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
		failing failed broken somehow apparently suddenly again now only i you we he she they
		reset? expired? gone disabled enabled compromised leaked stolen weak strong short long
		too simple complex temporary temp one-time mandatory optional never always expire
		correctly incorrectly automatically manually`)

// kindBit is a kind of secret as a bit, in secretKinds' order; a bare
// key (kind "") has a bit of its own, so a span a named format also
// covers takes that format's kind.
func kindBit(kind string) uint8 {
	for i, k := range secretKinds {
		if k == kind {
			return 1 << i
		}
	}
	return bareBit
}

const bareBit = 1 << 7

// MaskSecrets replaces passwords, API keys, tokens and private keys in text
// with "[masked <kind>]" markers, so that nothing downstream (the store, the
// log, an LLM prompt) ever holds them, and drops the invisible format
// characters the desk never stores (see StripInvisible). It reads text
// normalised (see detectionText), with the credential formats of gitleaks'
// rule set, the keyword forms people paste (NAME=value, "name": "value",
// name: value, --name value), URLs, headers and command lines with
// credentials, and machine-made keys pasted bare. kinds lists what was
// found, each once, in the order password, api key, token, private key; it
// is nil when nothing was. Ordinary talk about secrets ("I forgot my
// password", "my PIN is 4 digits") is left as it is. Masking is idempotent.
// docs/security.md says what is masked and what is not.
func MaskSecrets(text string) (masked string, kinds []string) {
	masked, kinds = maskOnce(text)
	// A pass can leave, beside a marker, the rest of a token that reads as
	// a key once it stands alone ("…%key.Aaa0Aaa0AAB.A1BZBcz/bBxRy" lost
	// its head to a marker and its tail was masked by the next pass):
	// mask again until nothing changes, so masking is idempotent. Each
	// pass masks more, so this ends; passes after the first are rare.
	for pass := 0; kinds != nil && pass < maxMaskPasses; pass++ {
		again, more := maskOnce(masked)
		if again == masked {
			break
		}
		masked, kinds = again, unionKinds(kinds, more)
	}
	return masked, kinds
}

// maxMaskPasses bounds the passes after the first: each one masks more of
// the text, and none has needed more than one.
const maxMaskPasses = 4

// unionKinds is the kinds of a and b, each once, in secretKinds' order.
func unionKinds(a, b []string) []string {
	var out []string
	for _, k := range secretKinds {
		if slices.Contains(a, k) || slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

// maskOnce is one pass of MaskSecrets.
func maskOnce(text string) (masked string, kinds []string) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	det, at := detectionText(text)
	// mark[i] holds the kinds of secret covering byte i of det; keep[i]
	// protects the markers of an earlier pass.
	var mark []uint8
	add := func(s, e int, kind string) {
		if s >= e {
			return
		}
		if mark == nil {
			mark = make([]uint8, len(det))
		}
		bit := kindBit(kind)
		for i := s; i < e; i++ {
			mark[i] |= bit
		}
	}
	lower := asciiLower(det)
	for _, r := range secretRules {
		if !containsAny(lower, r.keywords) {
			continue
		}
		for _, m := range r.re.FindAllStringSubmatchIndex(det, -1) {
			s, e := m[2*r.group], m[2*r.group+1]
			if s < 0 {
				continue
			}
			s, e = trimValue(det, s, e, r.group != 0)
			if s >= e || (r.check != nil && !r.check(det[s:e])) {
				continue
			}
			kind := r.kind
			if kind == "" {
				kind = kindOf(det[m[2]:m[3]])
			}
			add(s, e, kind)
		}
	}
	findLeaks(det, lower, add)
	findAssignments(det, lower, add)
	findBare(det, add)
	if mark == nil {
		return StripInvisible(text), nil
	}
	for _, m := range maskMarkerRe.FindAllStringIndex(det, -1) {
		for i := m[0]; i < m[1]; i++ {
			mark[i] = 0 // never grow into or over an existing marker
		}
	}
	// Spans in text, from the marked runs of det.
	var spans [][3]int // start, end, kinds
	for i := 0; i < len(det); {
		if mark[i] == 0 {
			i++
			continue
		}
		j, bits := i, uint8(0)
		for j < len(det) && mark[j] != 0 {
			bits |= mark[j]
			j++
		}
		s, e := origSpan(text, at, i, j)
		if n := len(spans); n > 0 && s < spans[n-1][1] {
			spans[n-1][1], spans[n-1][2] = max(spans[n-1][1], e), spans[n-1][2]|int(bits)
		} else {
			spans = append(spans, [3]int{s, e, int(bits)})
		}
		i = j
	}
	if len(spans) == 0 {
		return StripInvisible(text), nil
	}
	var found uint8
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, sp := range spans {
		b.WriteString(StripInvisible(text[prev:sp[0]]))
		kind := markerKind(uint8(sp[2]))
		found |= kindBit(kind)
		b.WriteString("[masked " + kind + "]")
		prev = sp[1]
	}
	b.WriteString(StripInvisible(text[prev:]))
	for i, k := range secretKinds {
		if found&(1<<i) != 0 {
			kinds = append(kinds, k)
		}
	}
	return b.String(), kinds
}

// asciiLower lower-cases the ASCII letters of s only, so byte offsets in
// it are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// markerKind names the kind of a span: a private key, else the first
// named kind in secretKinds' order, else (a bare key) an API key.
func markerKind(bits uint8) string {
	if bits&kindBit(secretPrivateKey) != 0 {
		return secretPrivateKey
	}
	for i, k := range secretKinds {
		if bits&(1<<i) != 0 {
			return k
		}
	}
	return secretAPIKey
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
	return notMarker(v) && !secretStopwords[strings.ToLower(v)] && !describingWord(v)
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
// words, words ending a sentence ("expired!", "reset?") or short codes
// ("2FA").
func looksLikePassword(v string) bool {
	if !notStopword(v) {
		return false
	}
	v = strings.TrimRight(v, "!?.,;:")
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

// describingWord reports a lower-case word that describes rather than
// names a password: "entered", "used", "recently", "changing".
func describingWord(v string) bool {
	v = strings.TrimRight(v, ".,;:!?")
	for i := 0; i < len(v); i++ {
		if v[i] < 'a' || v[i] > 'z' {
			return false
		}
	}
	return strings.HasSuffix(v, "ed") || strings.HasSuffix(v, "ing") || strings.HasSuffix(v, "ly")
}

// basicCredentials accepts a Basic authorization value: base64 of
// "user:password".
func basicCredentials(v string) bool {
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "="))
	}
	return err == nil && bytes.IndexByte(raw, ':') > 0
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
