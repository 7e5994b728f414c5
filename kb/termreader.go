package kb

// termReader turns the texts of many articles into term ids, as
// analyzer.terms and a lookup in the index's terms would, for building an
// index. Articles repeat the same words, so it analyses each distinct word
// once and keeps what it became; reading a text then costs one map lookup a
// word and allocates nothing but at the first sight of a word or term.
// TestIndexMatchesReference holds it to analyzer.terms. Not safe for
// concurrent use.
type termReader struct {
	an    *analyzer
	terms map[string]int32 // term → id, given in order of first sight
	// words maps a word as scanWords gives it, followed by a byte saying
	// whether it is a code, to what it became. The code flag is part of
	// the key because a word like "0xface" loses its prefix as a code.
	words map[string]*readWord
	buf   []byte
	seen  []*readWord // the current text's words
	keys  []string    // their keys, for matching a phrase
	ids   []int32
}

// readWord is what one distinct word becomes when it is not part of a
// multi-word synonym.
type readWord struct {
	key string // see analyzer.key
	// phrase is the most words of a multi-word synonym that starts with
	// key: when not 0, the word may start a phrase, and its term depends
	// on the next words.
	phrase int
	stop   bool   // dropped, unless part of a phrase
	term   string // its term, when not stop
	id     int32  // the term's id, or -1 until the term is first read
}

// newTermReader returns a reader analysing with an, which learns the stems
// of the words it reads if an.learn is set, and numbering terms in terms.
func newTermReader(an *analyzer, terms map[string]int32) *termReader {
	return &termReader{an: an, terms: terms, words: make(map[string]*readWord)}
}

// termIDs returns the ids of the terms of text, the terms an.terms(text)
// would return, giving new terms the next ids. The slice is valid until the
// next call.
func (r *termReader) termIDs(text string) []int32 {
	r.seen = r.seen[:0]
	r.buf = scanWords(text, r.buf, r.word)
	r.ids = r.ids[:0]
	for i := 0; i < len(r.seen); i++ {
		w := r.seen[i]
		if w.phrase > 0 {
			if n := r.phrase(i, w.phrase); n > 0 {
				i += n - 1
				continue
			}
		}
		if !w.stop {
			if w.id < 0 {
				w.id = r.id(w.term)
			}
			r.ids = append(r.ids, w.id)
		}
	}
	return r.ids
}

// phrase appends the term of the multi-word synonym that starts at the
// i-th word of the text, if one does, and returns how many words it covers;
// no phrase there is longer than most words.
func (r *termReader) phrase(i, most int) int {
	r.keys = r.keys[:0]
	for _, w := range r.seen[i:min(i+most, len(r.seen))] {
		r.keys = append(r.keys, w.key)
	}
	canon, n := matchPhrase(r.keys)
	if n > 0 {
		r.ids = append(r.ids, r.id(canon))
	}
	return n
}

// id returns the id of term, giving it the next one if it is new.
func (r *termReader) id(term string) int32 {
	id, ok := r.terms[term]
	if !ok {
		id = int32(len(r.terms))
		r.terms[term] = id
	}
	return id
}

// word records one scanned word in r.seen, analysing it on its first sight
// as analyzer.analyzeWords does outside a phrase.
func (r *termReader) word(w []byte, _, code bool) {
	flag := byte(0)
	if code {
		flag = 1
	}
	w = append(w, flag)
	rw, ok := r.words[string(w)]
	w = w[:len(w)-1]
	if !ok {
		rt := rawToken{word: string(w), code: code}
		rw = &readWord{key: r.an.key(rt), id: -1}
		for _, p := range phraseSynonyms[rw.key] {
			rw.phrase = max(rw.phrase, len(p.words))
		}
		toks := r.an.analyzeWords([]rawToken{rt}, []string{rw.key}, nil)
		if rw.stop = len(toks) == 0; !rw.stop {
			rw.term = toks[0].term
		}
		r.words[rt.word+string(flag)] = rw
	}
	r.seen = append(r.seen, rw)
}
