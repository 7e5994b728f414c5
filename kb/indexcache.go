package kb

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// An index cache is a file holding a built Index, so that a start over the
// same articles with the same code reads it back (a few tens of
// milliseconds for the 2,504 eval articles) instead of building it again
// (about 0.2 s of CPU, and the build's working memory). The file begins
// with a key: a hash of the format, the build of the program, the ranking
// parameters, the analyzer's word tables and every field of every article.
// A file with another key is stale and is replaced; a file that is
// truncated or damaged fails its checksum and is replaced too.

// cacheMagic starts every index cache file; its last byte is the format
// version, to be raised whenever the layout below changes.
const cacheMagic = "helpdesk-kb-index\x00\x01"

// CacheStatus says how CachedIndex got its index.
type CacheStatus string

// The outcomes of CachedIndex.
const (
	CacheLoaded  CacheStatus = "loaded"  // read from the cache file
	CacheMissing CacheStatus = "missing" // no cache file yet: built and written
	CacheStale   CacheStatus = "stale"   // other articles or another build: rebuilt and written
	CacheCorrupt CacheStatus = "corrupt" // unreadable or damaged: rebuilt and written
)

// CachedIndex returns NewIndex(articles), read from the cache file at path
// when the file holds the index of the same articles built by the same
// program (build names it: a release version or commit, or a hash of the
// executable), else built and written there for the next start. An error
// writing the file is returned with the built index, which is always
// usable: the caller logs it and carries on.
func CachedIndex(path, build string, articles []Article) (*Index, CacheStatus, error) {
	ix, status, write := cachedIndex(path, build, articles, newIndex)
	if write != nil {
		return ix, status, write()
	}
	return ix, status, nil
}

// cachedIndex is CachedIndex building the index, when it must, with
// newIndex, and leaving writing it to the caller: write is nil when the
// index was read back, else it writes the index to path.
func cachedIndex(path, build string, articles []Article, newIndex func([]Article, params) *Index) (ix *Index, status CacheStatus, write func() error) {
	p := defaultParams()
	key := cacheKey(build, p, articles)
	ix, err := readIndexCache(path, key, articles, p)
	if err == nil {
		return ix, CacheLoaded, nil
	}
	status = CacheCorrupt
	switch {
	case errors.Is(err, os.ErrNotExist):
		status = CacheMissing
	case errors.Is(err, errStaleCache):
		status = CacheStale
	}
	ix = newIndex(articles, p)
	return ix, status, func() error { return writeIndexCache(path, key, ix) }
}

// errStaleCache is the error of a cache file with another key.
var errStaleCache = errors.New("kb: the index cache was made from other articles or by another build")

// cacheKey hashes everything an index is built from.
func cacheKey(build string, p params, articles []Article) [sha256.Size]byte {
	h := sha256.New()
	buf := make([]byte, 32<<10) // the hash takes bytes; an article's body is copied through it
	put := func(s string) {
		h.Write(binary.AppendUvarint(buf[:0], uint64(len(s))))
		for len(s) > 0 {
			n := copy(buf, s)
			h.Write(buf[:n])
			s = s[n:]
		}
	}
	put(cacheMagic)
	put(build)
	put(fmt.Sprintf("%#v", p))
	lexiconFingerprint(put)
	put(fmt.Sprint(len(articles)))
	for i := range articles {
		a := &articles[i]
		for _, s := range []string{a.ID, a.Title, a.Category, a.Summary, a.Body, a.Source} {
			put(s)
		}
		put(fmt.Sprint(len(a.Tags)))
		for _, t := range a.Tags {
			put(t)
		}
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// lexiconFingerprint puts the analyzer's word tables, in a fixed order.
func lexiconFingerprint(put func(string)) {
	put(strings.Join(slices.Sorted(maps.Keys(stopWords)), " "))
	for _, k := range slices.Sorted(maps.Keys(wordSynonyms)) {
		put(k + "=" + wordSynonyms[k])
	}
	var phrases []string
	for _, list := range phraseSynonyms {
		for _, p := range list {
			phrases = append(phrases, strings.Join(p.words, " ")+"="+p.canon)
		}
	}
	slices.Sort(phrases)
	for _, s := range phrases {
		put(s)
	}
}

// writeIndexCache writes ix under key to path, through a temporary file
// renamed into place, so a reader never sees half a file.
func writeIndexCache(path string, key [sha256.Size]byte, ix *Index) error {
	// A process killed while writing leaves its temporary file behind.
	if left, err := filepath.Glob(path + ".*.tmp"); err == nil {
		for _, f := range left {
			os.Remove(f)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("kb: writing the index cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	w := &cacheWriter{w: bufio.NewWriterSize(tmp, 64<<10), sum: crc32.New(crc32.MakeTable(crc32.Castagnoli))}
	w.bytes([]byte(cacheMagic))
	w.bytes(key[:])
	w.index(ix)
	if w.err == nil {
		w.w.Write(binary.LittleEndian.AppendUint32(nil, w.sum.Sum32()))
		w.err = w.w.Flush()
	}
	if err := errors.Join(w.err, tmp.Close()); err != nil {
		return fmt.Errorf("kb: writing the index cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("kb: writing the index cache: %w", err)
	}
	return nil
}

// readIndexCache reads the index of articles from path if its key is key.
func readIndexCache(path string, key [sha256.Size]byte, articles []Article, p params) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r := &cacheReader{r: bufio.NewReaderSize(f, 64<<10), sum: crc32.New(crc32.MakeTable(crc32.Castagnoli)), left: fi.Size() - 4}
	head := make([]byte, len(cacheMagic)+sha256.Size)
	r.bytes(head)
	if r.err != nil || string(head[:len(cacheMagic)]) != cacheMagic {
		return nil, fmt.Errorf("kb: the index cache is not one: %w", errors.Join(r.err, errors.New("bad header")))
	}
	if [sha256.Size]byte(head[len(cacheMagic):]) != key {
		return nil, errStaleCache
	}
	ix := r.index(articles, p)
	want := r.sum.Sum32()
	var tail [4]byte
	if _, err := io.ReadFull(r.r, tail[:]); r.err == nil && err != nil {
		r.err = err
	}
	if r.err == nil && binary.LittleEndian.Uint32(tail[:]) != want {
		r.err = errors.New("checksum mismatch")
	}
	if r.err == nil {
		if _, err := r.r.ReadByte(); err != io.EOF {
			r.err = errors.New("data after the checksum")
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("kb: the index cache is damaged: %w", r.err)
	}
	return ix, nil
}
