package kb

// termReader turns the texts of many articles into term ids, as
// analyzer.terms and a lookup in the index's terms would, for building an
// index, in two parts that may run on two goroutines: words reads a text
// into its words, and a termNumbers turns those into term ids. Articles
// repeat the same words, so it analyses each distinct word once and keeps
// what it became; reading a text then costs one map lookup a word and
// allocates nothing but at the first sight of a word or term.
// TestIndexMatchesReference holds it to analyzer.terms. Not safe for
// concurrent use; the readWords it returns may go to another goroutine,
// which alone sets their id.
type termReader struct {
	an *analyzer
	// words maps a word as scanWords gives it, followed by a byte saying
	// whether it is a code, to what it became. The code flag is part of
	// the key because a word like "0xface" loses its prefix as a code.
	words map[string]*readWord
	// short holds the words of fewer than 8 bytes instead, each packed
	// into a number: its bytes, then the code flag in the top byte (no
	// byte of a word is 0, so the number says how long it is).
	short map[uint64]*readWord
	buf   []byte
	seen  []*readWord // the words being read
}

// termNumbers gives the words a termReader read their term ids. Not safe
// for concurrent use.
type termNumbers struct {
	terms map[string]int32 // term → id, given in order of first sight
	keys  []string         // the keys of words, for matching a phrase
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
// of the words it reads if an.learn is set.
func newTermReader(an *analyzer) *termReader {
	return &termReader{an: an, words: make(map[string]*readWord), short: make(map[uint64]*readWord)}
}

// read appends the words of text to seen and returns it.
func (r *termReader) read(text string, seen []*readWord) []*readWord {
	r.seen = seen
	r.buf = scanWords(text, r.buf, r.word)
	seen, r.seen = r.seen, nil
	return seen
}

// termIDs returns the ids of the terms of the words of a text, the terms
// an.terms(text) would return, giving new terms the next ids. The slice is
// valid until the next call.
func (n *termNumbers) termIDs(words []*readWord) []int32 {
	n.ids = n.ids[:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w.phrase > 0 {
			if k := n.phrase(words[i:min(i+w.phrase, len(words))]); k > 0 {
				i += k - 1
				continue
			}
		}
		if !w.stop {
			if w.id < 0 {
				w.id = n.id(w.term)
			}
			n.ids = append(n.ids, w.id)
		}
	}
	return n.ids
}

// phrase appends the term of the multi-word synonym that starts with the
// first of words, if one does, and returns how many words it covers; no
// phrase there is longer than words.
func (n *termNumbers) phrase(words []*readWord) int {
	n.keys = n.keys[:0]
	for _, w := range words {
		n.keys = append(n.keys, w.key)
	}
	canon, k := matchPhrase(n.keys)
	if k > 0 {
		n.ids = append(n.ids, n.id(canon))
	}
	return k
}

// id returns the id of term, giving it the next one if it is new.
func (n *termNumbers) id(term string) int32 {
	id, ok := n.terms[term]
	if !ok {
		id = int32(len(n.terms))
		n.terms[term] = id
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
	if len(w) < 8 {
		// Most words are short: packed into a number with their flag,
		// they are found without comparing strings.
		k := uint64(flag) << 56
		for i, c := range w {
			k |= uint64(c) << (8 * i)
		}
		rw, ok := r.short[k]
		if !ok {
			rw = r.analyse(w, code)
			r.short[k] = rw
		}
		r.seen = append(r.seen, rw)
		return
	}
	w = append(w, flag)
	rw, ok := r.words[string(w)]
	w = w[:len(w)-1]
	if !ok {
		rw = r.analyse(w, code)
		r.words[string(w)+string(flag)] = rw
	}
	r.seen = append(r.seen, rw)
}

// analyse finds what word w becomes.
func (r *termReader) analyse(w []byte, code bool) *readWord {
	rt := rawToken{word: string(w), code: code}
	rw := &readWord{key: r.an.key(rt), id: -1}
	for _, p := range phraseSynonyms[rw.key] {
		rw.phrase = max(rw.phrase, len(p.words))
	}
	toks := r.an.analyzeWords([]rawToken{rt}, []string{rw.key}, nil)
	if rw.stop = len(toks) == 0; !rw.stop {
		rw.term = toks[0].term
	}
	return rw
}
