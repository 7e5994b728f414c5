package kb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Live is a search index that takes newly published articles while the bot
// runs. Searches read an immutable *Index through an atomic pointer, so they
// never wait; Publish builds a new Index over the base articles and the
// published ones and swaps it in. Publishing is rare and the rebuild is
// cheap: about 5 ms for the 35 built-in articles and 16 ms for 100 (see
// BenchmarkLivePublish), while searches go on over the previous index.
//
// With LiveOptions.Background the first index is built after OpenLiveWith
// returns, so a bot can connect and acknowledge messages at once; a search
// made before it is ready waits for it, so no report misses the articles.
//
// Live is safe for concurrent use.
type Live struct {
	ix      atomic.Pointer[Index]
	ready   chan struct{} // closed once ix holds the first index
	settled chan struct{} // closed once the first index is also written to the cache

	mu        sync.Mutex // serialises Publish
	base      []Article
	published []Article // in first-publish order; an ID appears once
	o         LiveOptions
	buildID   func() string // o.Build, called once
	// write writes the index build just made to the cache, if it must;
	// see flush.
	write func() error
}

// LiveOptions are the settings of OpenLiveWith.
type LiveOptions struct {
	// CachePath, if set, is an index cache file (see CachedIndex): the
	// index is read from it when it holds the index of the same articles
	// made by the same Build, and written to it whenever it is built.
	CachePath string
	// Build names the program's code for the cache: a release version
	// or commit, or a hash of the executable. It is called once, by the
	// first build (in the background with Background); without it, or if
	// it returns "", the cache is not used.
	Build func() string
	// Logger is told how each index was got, and of a cache that could
	// not be written; nil discards.
	Logger *slog.Logger
	// Background builds the first index after OpenLiveWith returns;
	// Ready says when it is there, and searches wait for it.
	Background bool
	// BuildGCPercent, if above 0, lowers the garbage collector's percent
	// (debug.SetGCPercent) to it while an index for the cache is built
	// from the articles rather than read back, restoring it after. The
	// build's working memory (counts of every term and pair by article)
	// comes on top of the articles and the index, and with the default
	// of 100 the heap may grow to twice what is live: 50 keeps the first
	// start's peak some 6-8 MB lower for the 2,504 eval articles, at the
	// cost of a few more collections. A lower GOGC, or GOGC=off, is left
	// as it is.
	BuildGCPercent int
}

// NewLive returns a live index over base articles (the built-in KB or
// kb.dir) and already published ones. A published article replaces the
// base article with the same ID.
func NewLive(base, published []Article) *Live {
	return newLive(base, published, LiveOptions{})
}

// newLive is NewLive with options.
func newLive(base, published []Article, o LiveOptions) *Live {
	return startLive(base, published, o, (*Live).build)
}

// startLive is newLive building the first index with build, in the
// background if o says so.
func startLive(base, published []Article, o LiveOptions, build func(*Live) *Index) *Live {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	l := &Live{base: append([]Article(nil), base...), o: o, ready: make(chan struct{}), settled: make(chan struct{})}
	if o.Build != nil {
		l.buildID = sync.OnceValue(o.Build)
	}
	for _, a := range published {
		l.put(a)
	}
	// Until ready is closed nothing else touches l: every method waits.
	// The cache is written once searches can use the index.
	first := func() {
		l.ix.Store(build(l))
		close(l.ready)
		l.mu.Lock()
		l.flush()
		l.mu.Unlock()
		close(l.settled)
	}
	if o.Background {
		go first()
	} else {
		first()
	}
	return l
}

// Ready is closed once the first index is built; searches made before
// then wait for it.
func (l *Live) Ready() <-chan struct{} { return l.ready }

// Settled is closed once the first index is ready and, if it was built
// for the cache, written there: a program waits for it before it exits, so
// the next start finds the cache.
func (l *Live) Settled() <-chan struct{} { return l.settled }

// index is the current index, once there is one.
func (l *Live) index() *Index {
	<-l.ready
	return l.ix.Load()
}

// build makes the index of l's articles, through the cache if there is
// one, leaving the cache to be written by flush. l.mu is held, or l is not
// yet shared.
func (l *Live) build() *Index {
	arts := l.articles()
	if l.o.CachePath == "" || l.buildID == nil {
		return NewIndex(arts)
	}
	start := time.Now()
	build := l.buildID()
	if build == "" {
		return NewIndex(arts)
	}
	ix, status, write := cachedIndex(l.o.CachePath, build, arts, l.newIndex)
	l.o.Logger.Info("knowledge base index", "articles", len(arts), "cache", string(status), "took", time.Since(start).Round(time.Millisecond))
	l.write = write
	return ix
}

// flush writes the index the last build made to the cache, if it must.
// l.mu is held.
func (l *Live) flush() {
	write := l.write
	l.write = nil
	if write == nil {
		return
	}
	if err := write(); err != nil {
		l.o.Logger.Warn("knowledge base: the index cache could not be written; the next start builds the index again", "err", err)
	}
}

// newIndex is newIndex with the garbage collector's percent at most
// l.o.BuildGCPercent while it runs.
func (l *Live) newIndex(arts []Article, p params) *Index {
	if pc := l.o.BuildGCPercent; pc > 0 {
		if old := debug.SetGCPercent(pc); old < 0 || old <= pc {
			debug.SetGCPercent(old)
		} else {
			defer debug.SetGCPercent(old)
		}
	}
	return newIndex(arts, p)
}

// OpenLive returns a live index over base articles and the articles
// published in s. A stored article that no longer parses is left out, and
// reported in the error, which the caller may log and carry on: the Live
// is never nil.
func OpenLive(ctx context.Context, base []Article, s Store) (*Live, error) {
	return OpenLiveWith(ctx, base, s, LiveOptions{})
}

// OpenLiveWith is OpenLive with options: an index cache.
func OpenLiveWith(ctx context.Context, base []Article, s Store, o LiveOptions) (*Live, error) {
	stored, err := s.Published(ctx)
	if err != nil {
		return newLive(base, nil, o), fmt.Errorf("kb: loading published articles: %w", err)
	}
	var (
		arts []Article
		errs []error
	)
	for _, sa := range stored {
		a, err := ParseArticle([]byte(sa.PublishedMarkdown), PublishedSource(sa.ID))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		arts = append(arts, a)
	}
	return newLive(base, arts, o), errors.Join(errs...)
}

// PublishedSource is the Article.Source of an article published at the
// desk.
func PublishedSource(id string) string { return "published:" + id }

// Articles returns a copy of the index's articles, in index order: the base
// of a Live built from an index loaded at start.
func (ix *Index) Articles() []Article { return append([]Article(nil), ix.articles...) }

// Search returns at most k results for query, best first; see Index.Search.
func (l *Live) Search(query string, k int) []Result { return l.index().Search(query, k) }

// Article returns the article with id.
func (l *Live) Article(id string) (*Article, bool) { return l.index().Article(id) }

// Len returns the number of articles in search, or to be in search once
// the first index is ready; it does not wait for it.
func (l *Live) Len() int {
	select {
	case <-l.ready:
		return l.ix.Load().Len()
	default:
		l.mu.Lock() // ready may close, and a publish follow, while we count
		defer l.mu.Unlock()
		return len(l.articles())
	}
}

// Index returns the current index. It stays valid, and unchanged, after
// later publishes.
func (l *Live) Index() *Index { return l.index() }

// Publish adds a, or replaces the article with its ID, and makes it
// searchable before returning.
func (l *Live) Publish(a Article) {
	<-l.ready
	l.mu.Lock()
	defer l.mu.Unlock()
	l.put(a)
	l.ix.Store(l.build())
	l.flush()
}

// put records a as published. l.mu is held, or l is not yet shared.
func (l *Live) put(a Article) {
	for i := range l.published {
		if l.published[i].ID == a.ID {
			l.published[i] = a
			return
		}
	}
	l.published = append(l.published, a)
}

// articles is the base articles, each replaced by the published article
// with its ID if any, then the other published articles.
func (l *Live) articles() []Article {
	byID := make(map[string]int, len(l.published))
	for i, a := range l.published {
		byID[a.ID] = i
	}
	out := make([]Article, 0, len(l.base)+len(l.published))
	used := make([]bool, len(l.published))
	for _, a := range l.base {
		if i, ok := byID[a.ID]; ok {
			a, used[i] = l.published[i], true
		}
		out = append(out, a)
	}
	for i, a := range l.published {
		if !used[i] {
			out = append(out, a)
		}
	}
	return out
}
