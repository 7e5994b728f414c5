package kb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"maps"
	"math"
	"slices"
)

// The binary layout of an index cache file (see indexcache.go): counts as
// uvarints, numbers as little-endian 32- or 64-bit words.

// chunkWords is how many 32-bit words are encoded or decoded at a time,
// so a long array needs no buffer its size.
const chunkWords = 16 << 10

// cacheWriter writes the parts of an index in little-endian binary, keeping
// the first error and a checksum of everything written.
type cacheWriter struct {
	w   *bufio.Writer
	sum hash.Hash32
	err error
	buf []byte
}

func (w *cacheWriter) bytes(b []byte) {
	if w.err != nil {
		return
	}
	w.sum.Write(b)
	_, w.err = w.w.Write(b)
}

func (w *cacheWriter) uint(n int) {
	w.buf = binary.AppendUvarint(w.buf[:0], uint64(n))
	w.bytes(w.buf)
}

func (w *cacheWriter) str(s string) {
	w.uint(len(s))
	w.bytes([]byte(s))
}

func (w *cacheWriter) int32s(v []int32) {
	w.uint(len(v))
	for i := 0; i < len(v); i += chunkWords {
		w.buf = w.buf[:0]
		for _, x := range v[i:min(i+chunkWords, len(v))] {
			w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(x))
		}
		w.bytes(w.buf)
	}
}

func (w *cacheWriter) float32s(v []float32) {
	w.uint(len(v))
	for i := 0; i < len(v); i += chunkWords {
		w.buf = w.buf[:0]
		for _, x := range v[i:min(i+chunkWords, len(v))] {
			w.buf = binary.LittleEndian.AppendUint32(w.buf, math.Float32bits(x))
		}
		w.bytes(w.buf)
	}
}

func (w *cacheWriter) postings(t *postingTable) {
	w.int32s(t.start)
	w.int32s(t.docs)
	w.float32s(t.impact)
	w.float32s(t.best)
	w.uint(len(t.fields))
	w.bytes(t.fields)
}

// index writes everything of ix but its articles and parameters, which
// the key covers.
func (w *cacheWriter) index(ix *Index) {
	terms := make([]string, len(ix.terms))
	for t, id := range ix.terms {
		terms[id] = t
	}
	w.uint(len(terms))
	for _, t := range terms {
		w.str(t)
	}
	pairs := make([]int64, len(ix.pairs)) // by pair id: its key
	for k, id := range ix.pairs {
		pairs[id] = int64(k)
	}
	w.uint(len(pairs))
	for i := 0; i < len(pairs); i += chunkWords / 2 {
		w.buf = w.buf[:0]
		for _, k := range pairs[i:min(i+chunkWords/2, len(pairs))] {
			w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(k))
		}
		w.bytes(w.buf)
	}
	w.postings(&ix.termPost)
	w.postings(&ix.pairPost)
	w.uint(len(ix.sigs))
	for _, s := range ix.sigs {
		w.uint(len(s))
		w.buf = w.buf[:0]
		for _, t := range s {
			w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(t.id))
			w.buf = binary.LittleEndian.AppendUint32(w.buf, math.Float32bits(t.w))
		}
		w.bytes(w.buf)
	}
	w.float32s(ix.termIDF)
	w.uint(len(ix.titles))
	for _, t := range ix.titles {
		w.int32s(t)
	}
	w.float32s(ix.titleIDF)
	stems := slices.Sorted(maps.Keys(ix.an.stems))
	w.uint(len(stems))
	for _, s := range stems {
		w.str(s)
		w.str(ix.an.stems[s])
	}
}

// cacheReader reads what cacheWriter wrote, keeping the first error and a
// checksum of everything read. No length it reads may exceed what is left
// of the file, so a damaged length fails instead of allocating without
// bound.
type cacheReader struct {
	r    *bufio.Reader
	sum  hash.Hash32
	err  error
	left int64 // bytes before the checksum not yet read
	buf  []byte
}

func (r *cacheReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *cacheReader) bytes(b []byte) {
	if r.err != nil {
		return
	}
	if int64(len(b)) > r.left {
		r.fail(io.ErrUnexpectedEOF)
		return
	}
	if _, err := io.ReadFull(r.r, b); err != nil {
		r.fail(err)
		return
	}
	r.left -= int64(len(b))
	r.sum.Write(b)
}

// uint reads a count of things of at least size bytes each.
func (r *cacheReader) uint(size int) int {
	if r.err != nil {
		return 0
	}
	var b [binary.MaxVarintLen64]byte
	n := 0
	for ; n < len(b); n++ {
		r.bytes(b[n : n+1])
		if r.err != nil {
			return 0
		}
		if b[n] < 0x80 {
			break
		}
	}
	v, k := binary.Uvarint(b[:n+1])
	if k <= 0 || v > uint64(r.left)/uint64(max(size, 1)) {
		r.fail(errors.New("a length is out of range"))
		return 0
	}
	return int(v)
}

// chunk reads n bytes into r.buf, which it returns.
func (r *cacheReader) chunk(n int) []byte {
	r.buf = slices.Grow(r.buf[:0], n)[:n]
	r.bytes(r.buf)
	return r.buf
}

func (r *cacheReader) str() string {
	return string(r.chunk(r.uint(1)))
}

// words reads n 32-bit words, calling put with each.
func (r *cacheReader) words(n int, put func(i int, x uint32)) {
	for i := 0; i < n && r.err == nil; i += chunkWords {
		b := r.chunk(4 * min(chunkWords, n-i))
		for j := 0; j < len(b); j += 4 {
			put(i+j/4, binary.LittleEndian.Uint32(b[j:]))
		}
	}
}

func (r *cacheReader) int32s() []int32 {
	v := make([]int32, r.uint(4))
	r.words(len(v), func(i int, x uint32) { v[i] = int32(x) })
	return v
}

func (r *cacheReader) float32s() []float32 {
	v := make([]float32, r.uint(4))
	r.words(len(v), func(i int, x uint32) { v[i] = math.Float32frombits(x) })
	return v
}

func (r *cacheReader) postings() postingTable {
	t := postingTable{start: r.int32s(), docs: r.int32s(), impact: r.float32s(), best: r.float32s()}
	t.fields = make([]uint8, r.uint(1))
	r.bytes(t.fields)
	return t
}

// index reads an index over articles, checking that what it reads fits
// them and itself, so that a search over it cannot go out of bounds.
func (r *cacheReader) index(articles []Article, p params) *Index {
	ix := &Index{articles: append([]Article(nil), articles...), p: p}
	nt := r.uint(1)
	ix.terms = make(map[string]int32, nt)
	for i := 0; i < nt && r.err == nil; i++ {
		ix.terms[r.str()] = int32(i)
	}
	np := r.uint(8)
	ix.pairs = make(map[uint64]int32, np)
	for i := 0; i < np && r.err == nil; i++ {
		ix.pairs[binary.LittleEndian.Uint64(r.chunk(8))] = int32(i)
	}
	if r.err == nil && (len(ix.terms) != nt || len(ix.pairs) != np) {
		r.fail(errors.New("a term or pair is there twice"))
	}
	ix.termPost = r.postings()
	ix.pairPost = r.postings()
	ix.sigs = make([][]sigTerm, r.uint(1))
	for d := range ix.sigs {
		if m := r.uint(8); m > 0 {
			s := make([]sigTerm, m)
			r.words(2*m, func(i int, x uint32) {
				if i%2 == 0 {
					s[i/2].id = int32(x)
				} else {
					s[i/2].w = math.Float32frombits(x)
				}
			})
			ix.sigs[d] = s
		}
	}
	ix.termIDF = r.float32s()
	ix.titles = make([][]int32, r.uint(1))
	for d := range ix.titles {
		if t := r.int32s(); len(t) > 0 {
			ix.titles[d] = t
		}
	}
	ix.titleIDF = r.float32s()
	stems := r.uint(2)
	ix.an.stems = make(map[string]string, stems)
	for range stems {
		if r.err != nil {
			break
		}
		w := r.str()
		ix.an.stems[w] = r.str()
	}
	if r.err == nil {
		if err := ix.check(); err != nil {
			r.fail(err)
		}
	}
	return ix
}

// check reports whether the parts of an index read from a cache fit
// together: every id and article number in range.
func (ix *Index) check() error {
	n, nt, np := len(ix.articles), len(ix.terms), len(ix.pairs)
	switch {
	case len(ix.termIDF) != nt || len(ix.sigs) != n || len(ix.titles) != n || len(ix.titleIDF) != n:
		return errors.New("the parts do not match the articles")
	case ix.termPost.check(nt, n) != nil || ix.pairPost.check(np, n) != nil:
		return errors.New("postings out of range")
	}
	for d := range n {
		for _, t := range ix.sigs[d] {
			if t.id < 0 || int(t.id) >= nt {
				return errors.New("a signature term is out of range")
			}
		}
		for _, id := range ix.titles[d] {
			if id < 0 || int(id) >= nt {
				return errors.New("a title term is out of range")
			}
		}
	}
	return nil
}

// check reports whether t holds keys postings over n articles.
func (t *postingTable) check(keys, n int) error {
	if len(t.start) != keys+1 || len(t.best) != keys || t.start[0] != 0 {
		return errors.New("bad table")
	}
	for i := range keys {
		if t.start[i] > t.start[i+1] {
			return errors.New("bad table")
		}
	}
	total := int(t.start[keys])
	if len(t.docs) != total || len(t.impact) != total || len(t.fields) != total {
		return errors.New("bad table")
	}
	for _, d := range t.docs {
		if d < 0 || int(d) >= n {
			return errors.New("bad table")
		}
	}
	return nil
}
