package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// token is one analyzed term of a text: a stem, a canonical synonym, or an
// exact code such as an error number.
type token struct {
	term   string
	quoted bool     // inside "double quotes" in a query
	from   string   // the lower-cased word(s) it came from, for Explain
	kind   TermKind // how term was derived from them
}

// TermKind says how an analysed term was derived from the words of a text.
type TermKind uint8

// The kinds of analysed terms.
const (
	KindStem    TermKind = iota // a word reduced to its Snowball stem (or kept, if short)
	KindCode                    // a word with a digit (error code, version), kept whole
	KindSynonym                 // a word mapped to its canonical synonym ("2fa" → "mfa")
	KindPhrase                  // several words mapped to one canonical term
	KindStop                    // a stop word or chat noise, dropped
)

// String is the kind's name as kb eval --explain prints it.
func (k TermKind) String() string {
	switch k {
	case KindCode:
		return "code"
	case KindSynonym:
		return "synonym"
	case KindPhrase:
		return "phrase"
	case KindStop:
		return "stop word"
	}
	return "stem"
}

// rawToken is a lower-cased word before stop-word removal and stemming.
type rawToken struct {
	word   string
	quoted bool
	code   bool // contains a digit: error code, version, number; never stemmed
}

// analyzer turns text into terms. It is read-only after construction, so one
// analyzer may be shared by concurrent searches.
type analyzer struct {
	// stems caches the stem of every word seen while indexing; words not in
	// the cache are stemmed on the fly.
	stems map[string]string
	// learn adds newly stemmed words to stems; only while building an index.
	learn bool
	// keepStops returns dropped stop words as KindStop tokens with no
	// term, for Explain.
	keepStops bool
}

// joinWords joins the words of raw tokens with spaces.
func joinWords(raw []rawToken) string {
	w := make([]string, len(raw))
	for i, r := range raw {
		w[i] = r.word
	}
	return strings.Join(w, " ")
}

// analyze returns the terms of text in order: lower-cased, split on anything
// that is not a letter or digit, multi-word and single-word synonyms mapped
// to one canonical term, stop words and chat noise dropped, the rest stemmed
// with the Snowball English stemmer. Words with digits (error codes such as
// 0x80070005 or AADSTS50126, versions, numbers) are kept whole.
func (a *analyzer) analyze(text string) []token {
	raw := splitWords(text)
	keys := make([]string, len(raw))
	for i, r := range raw {
		keys[i] = a.key(r)
	}
	return a.analyzeWords(raw, keys, make([]token, 0, len(raw)))
}

// analyzeWords is analyze after the split: it appends to out the terms of
// the words raw, whose keys (see key) are keys.
func (a *analyzer) analyzeWords(raw []rawToken, keys []string, out []token) []token {
	for i := 0; i < len(raw); i++ {
		if canon, n := matchPhrase(keys[i:]); n > 0 {
			out = append(out, token{term: canon, quoted: raw[i].quoted, from: joinWords(raw[i : i+n]), kind: KindPhrase})
			i += n - 1
			continue
		}
		if stopWords[raw[i].word] {
			if a.keepStops {
				out = append(out, token{from: raw[i].word, kind: KindStop})
			}
			continue
		}
		k, kind := keys[i], KindStem
		if raw[i].code {
			kind = KindCode
		}
		if canon, ok := wordSynonyms[k]; ok {
			k, kind = canon, KindSynonym
		}
		out = append(out, token{term: k, quoted: raw[i].quoted, from: raw[i].word, kind: kind})
	}
	return out
}

// terms is analyze without the quoting flags.
func (a *analyzer) terms(text string) []string {
	toks := a.analyze(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.term
	}
	return out
}

// key is the form of a raw word used for synonym lookup and indexing: the
// word itself for codes and stop words, its stem otherwise.
func (a *analyzer) key(r rawToken) string {
	if r.code || stopWords[r.word] || len(r.word) <= 2 {
		return r.word
	}
	if s, ok := a.stems[r.word]; ok {
		return s
	}
	s := english.Stem(r.word, true)
	if a.learn {
		a.stems[r.word] = s
	}
	return s
}

// splitWords lower-cases text and splits it into words. An apostrophe inside
// a word is dropped ("can't" → "cant") and a trailing possessive "'s" is
// removed; a "0x" prefix on a hexadecimal code is removed so that 0x8004010F
// and 8004010F match. Double quotes mark the words between them as quoted.
func splitWords(text string) []rawToken {
	var out []rawToken
	scanWords(text, nil, func(word []byte, quoted, code bool) {
		out = append(out, rawToken{word: string(word), quoted: quoted, code: code})
	})
	return out
}

// scanWords is splitWords without allocating: it calls emit with each word
// in turn, lower-cased in buf (which it grows and returns for reuse). The
// word is only valid during the call.
func scanWords(text string, buf []byte, emit func(word []byte, quoted, code bool)) []byte {
	b := buf[:0]
	quoted, code := false, false
	flush := func() {
		if len(b) == 0 {
			return
		}
		w := b
		if code {
			w = trimHexPrefix(w)
		}
		emit(w, quoted, code)
		b = b[:0]
		code = false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b = append(b, byte(r))
			code = code || r <= '9'
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b = append(b, byte(r+'a'-'A'))
		case r == '\'' || r == '’':
			// Inside a word: drop it, and drop a possessive 's.
			if len(b) > 0 {
				next, nsize := utf8.DecodeRuneInString(text[i+size:])
				if (next == 's' || next == 'S') && !isWordRune(text[i+size+nsize:]) {
					size += nsize
					flush()
				}
			}
		case r == '"' || r == '“' || r == '”':
			flush()
			switch r {
			case '“':
				quoted = true
			case '”':
				quoted = false
			default:
				quoted = !quoted
			}
		case unicode.IsLetter(r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
		case unicode.IsDigit(r):
			b = utf8.AppendRune(b, r)
			code = true
		default:
			flush()
		}
		i += size
	}
	flush()
	return b
}

// isWordRune reports whether s starts with a letter or digit.
func isWordRune(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// trimHexPrefix turns "0x80070005" into "80070005".
func trimHexPrefix(w []byte) []byte {
	if len(w) < 4 || w[0] != '0' || w[1] != 'x' {
		return w
	}
	for _, c := range w[2:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return w
		}
	}
	return w[2:]
}

// matchPhrase reports the canonical term of the longest multi-word synonym
// at the start of keys and how many keys it covers (0 if none).
func matchPhrase(keys []string) (string, int) {
	cands := phraseSynonyms[keys[0]]
	best, bestN := "", 0
	for _, p := range cands {
		n := len(p.words)
		if n <= bestN || n > len(keys) {
			continue
		}
		match := true
		for j, w := range p.words {
			if keys[j] != w {
				match = false
				break
			}
		}
		if match {
			best, bestN = p.canon, n
		}
	}
	return best, bestN
}
