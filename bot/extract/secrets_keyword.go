package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keyword forms: a value given a name that says it is secret. They are
// read as people paste them — NAME=value (.env, INI, shell, Makefile),
// name: value (YAML, headers, chat), "name": "value" (JSON), name := "value"
// and typed declarations (code), <name>value</name> (XML), --name value
// (command lines) — and as people write them ("my password is X").
//
// A name counts when its last word is a secret word: DB_PASSWORD,
// githubToken, api-key, spring.datasource.password; not "keyboard",
// "password_reset" or "key_id". An explicit password is masked whatever
// it is, unless it is a word that describes a problem ("password:
// expired") or a placeholder ("${DB_PASSWORD}", "<your token>", "****");
// other values must look made up, since "key: Ctrl+Alt+Del" is not one.

// nameStems are what secret names contain, in lower case; findNames
// finds the names around them and nameKind reads them.
var nameStems = []string{"pass", "pw", "kennwort", "contrase", "pin", "secret", "token", "key", "cred", "auth", "sig", "mdp", "mot de passe"}

// Secret words as the last part of a name, and what each holds.
var (
	passwordWords = wordSet(`password passwd passwort kennwort contraseña contrasena pwd pw pass passe passcode passphrase mdp passwords`)
	pinWords      = wordSet(`pin pincode`)
	keyWords      = wordSet(`secret token key apikey credential credentials creds auth authkey authtoken tokens keys secrets`)
	// urlWords are secret only as URL query parameters (?sig=…).
	urlWords = wordSet(`sig signature code`)
	// nameSuffixes may follow the secret word: SECRET_KEY_BASE, token_value.
	nameSuffixes = wordSet(`value base b64 base64 str string raw plain plaintext enc`)
)

// nameKind splits name into words (at _ . - and camelCase) and names the
// kind of secret its last word holds, or "".
func nameKind(name string, inURL bool) (kind string, pin bool) {
	parts := nameParts(strings.TrimLeft(name, "-$@"))
	if len(parts) > 1 && nameSuffixes[parts[len(parts)-1]] {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return "", false
	}
	last := parts[len(parts)-1]
	for _, p := range parts {
		if p == "public" || p == "publishable" || p == "pub" {
			return "", false // a public key or .NET's PublicKeyToken is meant to be seen
		}
	}
	switch {
	case passwordWords[last]:
		return secretPassword, false
	case pinWords[last]:
		return secretPassword, true
	case strings.Contains(last, "token") && keyWords[last]:
		return secretToken, false
	case keyWords[last]:
		return kindOf(strings.Join(parts, " ")), false
	case inURL && urlWords[last]:
		return secretToken, false
	}
	return "", false
}

// nameParts lower-cases the words of an identifier.
func nameParts(name string) []string {
	var parts []string
	start := 0
	flush := func(end int) {
		if end > start {
			parts = append(parts, strings.ToLower(name[start:end]))
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '.' || c == '-' || c == ' ':
			flush(i)
			start = i + 1
		case c >= 'A' && c <= 'Z' && i > start && name[i-1] >= 'a' && name[i-1] <= 'z':
			flush(i)
			start = i
		}
	}
	flush(len(name))
	return parts
}

// findAssignments adds the values of secret names in text; lower is text
// with its ASCII letters in lower case.
func findAssignments(text, lower string, add func(start, end int, kind string)) {
	for _, m := range findNames(text, lower) {
		ns, ne := m[0], m[1]
		inURL := ns > 0 && (text[ns-1] == '?' || text[ns-1] == '&')
		kind, pin := nameKind(text[ns:ne], inURL)
		if kind == "" {
			continue
		}
		vs, ve, code, ok := assignedValue(text, ns, ne)
		if !ok || overMarker(text, vs, ve) {
			continue
		}
		v := text[vs:ve]
		switch {
		case kind == secretPassword && pin:
			ok = pinLike(v)
		case kind == secretPassword:
			ok = passwordLike(v) && (code || !sentenceGoesOn(text, v, ve))
		case code:
			ok = utf8.RuneCountInString(v) >= 8 && !placeholder(v) && !emailRe.MatchString(v)
		default:
			ok = credentialLike(v)
		}
		if ok {
			add(vs, ve, kind)
		}
	}
}

// findNames returns the spans of the names (identifiers, or "mot de
// passe") that contain a secret word, in order, each once.
func findNames(text, lower string) [][2]int {
	var spans [][2]int
	seen := map[int]bool{}
	for _, stem := range nameStems {
		for from := 0; ; {
			i := strings.Index(lower[from:], stem)
			if i < 0 {
				break
			}
			i += from
			from = i + len(stem)
			s, e := i, i+len(stem)
			if stem != "mot de passe" {
				for s > 0 && nameByte(text[s-1]) {
					s--
				}
				if s > 0 && (text[s-1] == '$' || text[s-1] == '@') {
					s--
				}
				for e < len(text) {
					r, n := utf8.DecodeRuneInString(text[e:])
					if !(r < utf8.RuneSelf && nameByte(byte(r)) || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
						break
					}
					e += n
				}
			}
			for e > s && (text[e-1] == '.' || text[e-1] == '-') {
				e-- // "my password." ends the sentence, not the name
			}
			if !seen[s] {
				seen[s] = true
				spans = append(spans, [2]int{s, e})
			}
			from = max(from, e)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	return spans
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// assignedValue reads the value assigned to the name at text[ns:ne]: the
// operator after it, on the same line, then a quoted or bare value. code
// reports a form that only code and configuration use (=, :=, =>, a quoted
// name or value), where any made-up value is a secret.
func assignedValue(text string, ns, ne int) (vs, ve int, code, ok bool) {
	i := ne
	quotedName := false
	if i < len(text) && (text[i] == '"' || text[i] == '\'') && ns > 0 && text[ns-1] == text[i] {
		quotedName = true
		i++
	}
	xml := ns > 0 && text[ns-1] == '<'
	cli := strings.HasPrefix(text[ns:ne], "-")
	j := skipBlanks(text, i)
	// A type between the name and "=": var githubToken string = "…".
	if k := skipWord(text, j); k > j {
		if l := skipBlanks(text, k); l < len(text) && text[l] == '=' && !strings.HasPrefix(text[l:], "==") {
			j = l
		}
	}
	op := ""
	for _, o := range []string{":::=", "::=", ":=", "?=", ".=", "+=", "=>", "->", "==", "||", "=", ":", ",", ">"} {
		if strings.HasPrefix(text[j:], o) {
			op = o
			break
		}
	}
	switch {
	case op == "," && !quotedName, op == ">" && !xml, op == "" && (!cli || j == i):
		return 0, 0, false, false
	}
	j += len(op)
	code = op != ":" && op != "" || quotedName || xml
	if xml {
		for j < len(text) && unicode.IsSpace(rune(text[j])) {
			j++
		}
	} else {
		j = skipBlanks(text, j)
	}
	for j < len(text) && text[j] == '=' {
		j++ // "password==x", gitleaks' [=]{0,5}
	}
	vs, ve, quoted := readValue(text, j)
	if quoted {
		code = true
	}
	return vs, ve, code, ve > vs
}

// readValue reads a value at text[i:]: a quoted string on one line, or a
// run of non-space characters cut where it plainly ends (";", ", ", a
// literal "\n", "&name=" in a URL, "</" in XML) less trailing punctuation.
func readValue(text string, i int) (vs, ve int, quoted bool) {
	if i >= len(text) {
		return i, i, false
	}
	for _, q := range [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}, {"‘", "’"}} {
		if !strings.HasPrefix(text[i:], q[0]) {
			continue
		}
		start := i + len(q[0])
		line := text[start:]
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		for k := 0; k < len(line); k++ {
			if line[k] == '\\' {
				k++ // \" inside a JSON string
				continue
			}
			if strings.HasPrefix(line[k:], q[1]) {
				return start, start + k, true
			}
		}
		i = start // unclosed: read on as a bare value
		break
	}
	end := i
	for end < len(text) && !unicode.IsSpace(rune(text[end])) && !strings.ContainsRune("\"'`<", rune(text[end])) {
		end++
	}
	v := text[i:end]
	for _, stop := range []string{";", ", ", `\n`, `\r`, `\t`} {
		if k := strings.Index(v, stop); k >= 0 {
			v = v[:k]
		}
	}
	if k := urlParamRe.FindStringIndex(v); k != nil {
		v = v[:k[0]]
	}
	v = strings.TrimRight(v, ".,;:)]}>")
	return i, i + len(v), false
}

var urlParamRe = regexp.MustCompile(`&[\w.-]+=`)

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipWord passes a type name such as "string" or "String".
func skipWord(s string, i int) int {
	j := i
	for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' && j > i) {
		j++
	}
	if j-i > 20 {
		return i
	}
	return j
}

// overMarker reports a value that is, or runs into, a marker of an earlier
// pass.
func overMarker(text string, vs, ve int) bool {
	return strings.Contains(text[vs:min(len(text), ve+1)], "[masked") || strings.HasPrefix(text[vs:], "[masked")
}

// sentenceGoesOn reports a value of letters only followed by more words
// in lower case: "Set Database Password: Use this feature to …" is a
// sentence, not a password.
func sentenceGoesOn(text, v string, ve int) bool {
	for i := 0; i < len(v); i++ {
		if !isLetterByte(v[i]) {
			return false
		}
	}
	rest := text[ve:]
	return len(rest) > 1 && (rest[0] == ' ' || rest[0] == '\t') && rest[1] >= 'a' && rest[1] <= 'z'
}

// passwordLike accepts any explicit password but the words that describe a
// problem ("password: expired"), placeholders and one or two characters.
func passwordLike(v string) bool {
	return utf8.RuneCountInString(v) >= 3 && notStopword(strings.TrimRight(v, "!?")) && !placeholder(v)
}

// pinLike accepts a PIN: four or more characters, with a digit.
func pinLike(v string) bool {
	return utf8.RuneCountInString(v) >= 4 && strings.IndexFunc(v, unicode.IsDigit) >= 0 && !placeholder(v)
}

// credentialLike accepts values that look made up: eight characters or
// more, not a path, with letters and digits mixed, or long, or random.
func credentialLike(v string) bool {
	if utf8.RuneCountInString(v) < 8 || placeholder(v) || !notStopword(v) || looksLikePath(v) || emailRe.MatchString(v) {
		return false
	}
	var letter, digit bool
	for _, r := range v {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	return letter && digit || !letter && len(v) >= 12 || len(v) >= 20 || randomLetters(v)
}

// looksLikePath: C:\Users\…, /etc/…, ~/…, HKEY_LOCAL_MACHINE\….
func looksLikePath(v string) bool {
	return strings.ContainsRune(v, '\\') || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, "./")
}

// emailRe matches an e-mail address, which names someone, not a secret.
var emailRe = regexp.MustCompile(`^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$`)

// placeholderRe matches values that stand for a secret without being one,
// and a PowerShell subexpression "(ConvertTo-SecureString …" whose value
// comes after it.
var placeholderRe = regexp.MustCompile(`(?i)^(?:\(.*|<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\$\{?[\w.:-]+\}?|%[\w]+%|\*+|x+|\.+|…|-+|_+|#+|\?+|(?:your|enter|insert)[_ -].*|.*[_ -]here|redacted|hidden|removed|masked|placeholder|example|sample|dummy|none|null|nil|true|false|undefined|n/a|tbd|todo)$`)

// placeholder reports values like "${DB_PASSWORD}", "<token>" or "****",
// and what gitleaks' global allowlist calls one.
func placeholder(v string) bool {
	if placeholderRe.MatchString(v) {
		return true
	}
	return allowed(leaks().allowAll, v, 0, len(v), v)
}
