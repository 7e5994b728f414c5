package kb

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCachedIndex starts over the built-in KB several times with a cache
// file: the first start builds and writes it, the next reads it back and
// gets exactly the index a build gives, and a change of articles or of
// build, or a damaged file, is noticed and the index built again.
func TestCachedIndex(t *testing.T) {
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]Article(nil), builtin...)
	edited[3].Body += "\nAlso restart the zeppelin."
	fresh := NewIndex(builtin)

	path := filepath.Join(t.TempDir(), "kb-index.cache")
	start := func(t *testing.T, build string, arts []Article, want CacheStatus) *Index {
		t.Helper()
		ix, status, err := CachedIndex(path, build, arts)
		if err != nil {
			t.Fatalf("CachedIndex: %v", err)
		}
		if status != want {
			t.Fatalf("status = %s, want %s", status, want)
		}
		if diff := sameIndex(ix, NewIndex(arts)); diff != "" {
			t.Fatalf("the index (%s) differs from a fresh build in its %s", status, diff)
		}
		return ix
	}
	damage := func(t *testing.T, change func([]byte) []byte) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, change(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	leftover := path + ".12345.tmp" // from a process killed while writing
	if err := os.WriteFile(leftover, []byte("half a cache"), 0o600); err != nil {
		t.Fatal(err)
	}
	start(t, "v1", builtin, CacheMissing)
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("a killed writer's temporary file is still there: %v", err)
	}
	ix := start(t, "v1", builtin, CacheLoaded)
	if got := ix.Search("vpn won't connect", 3); len(got) == 0 || got[0].Article.ID != fresh.Search("vpn won't connect", 3)[0].Article.ID {
		t.Fatalf("a search over the loaded index = %v", ids(got))
	}
	start(t, "v1", edited, CacheStale)
	if got := start(t, "v1", edited, CacheLoaded).Search("zeppelin", 1); len(got) != 1 || got[0].Article.ID != edited[3].ID {
		t.Fatalf("after the edit, search = %v, want %s", ids(got), edited[3].ID)
	}
	start(t, "v2", edited, CacheStale)
	start(t, "v2", edited, CacheLoaded)

	for _, tt := range []struct {
		name   string
		change func([]byte) []byte
	}{
		{"a byte flipped in the postings", func(b []byte) []byte { b[len(b)/2] ^= 0x10; return b }},
		{"a byte flipped in the checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)*2/3] }},
		{"cut before the checksum", func(b []byte) []byte { return b[:len(b)-4] }},
		{"data after the end", func(b []byte) []byte { return append(b, 0) }},
		{"empty", func([]byte) []byte { return nil }},
		{"three bytes", func([]byte) []byte { return []byte("hel") }},
		{"not a cache", func([]byte) []byte { return []byte("---\nid: x\ntitle: y\n---\n") }},
		{"a huge length after the key", func(b []byte) []byte {
			n := len(cacheMagic) + 32
			return append(b[:n:n], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			damage(t, tt.change)
			start(t, "v2", edited, CacheCorrupt)
			start(t, "v2", edited, CacheLoaded)
		})
	}
}

// TestCachedIndexUnwritable still gives the built index when the cache
// cannot be written, with the error to log.
func TestCachedIndexUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no such dir", "kb-index.cache")
	ix, status, err := CachedIndex(path, "v1", synthetic)
	if err == nil || status != CacheMissing || ix == nil || ix.Len() != len(synthetic) {
		t.Fatalf("CachedIndex = %v articles, %s, %v; want the index, missing, and an error", ix.Len(), status, err)
	}
	if diff := sameIndex(ix, NewIndex(synthetic)); diff != "" {
		t.Fatalf("the index differs from a fresh build in its %s", diff)
	}
}

// TestCachedIndexEval reads back the index of the 2,504 evaluation
// articles exactly.
func TestCachedIndexEval(t *testing.T) {
	if testing.Short() {
		t.Skip("the evaluation KB takes a few seconds")
	}
	arts := evalArticlesOrSkip(t)
	path := filepath.Join(t.TempDir(), "kb-index.cache")
	if _, status, err := CachedIndex(path, "v1", arts); err != nil || status != CacheMissing {
		t.Fatalf("first start: %s, %v", status, err)
	}
	ix, status, err := CachedIndex(path, "v1", arts)
	if err != nil || status != CacheLoaded {
		t.Fatalf("second start: %s, %v", status, err)
	}
	if diff := sameIndex(ix, NewIndex(arts)); diff != "" {
		t.Fatalf("the loaded index differs from a fresh build in its %s", diff)
	}
}

// BenchmarkCachedIndexEval reads the index of the 2,504 evaluation
// articles from its cache file.
func BenchmarkCachedIndexEval(b *testing.B) {
	arts := evalArticlesOrSkip(b)
	path := filepath.Join(b.TempDir(), "kb-index.cache")
	if _, _, err := CachedIndex(path, "v1", arts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, status, err := CachedIndex(path, "v1", arts); err != nil || status != CacheLoaded {
			b.Fatalf("%s, %v", status, err)
		}
	}
}

// TestLiveCache: a Live with a cache writes it at start and at each
// publish, so the next start over the same articles reads it.
func TestLiveCache(t *testing.T) {
	var log bytes.Buffer
	o := LiveOptions{CachePath: filepath.Join(t.TempDir(), "kb-index.cache"), Build: func() string { return "v1" },
		Logger: slog.New(slog.NewTextHandler(&log, nil))}
	status := func() string {
		t.Helper()
		_, after, ok := strings.Cut(log.String(), "cache=")
		if !ok {
			t.Fatalf("nothing logged about the cache: %q", log.String())
		}
		log.Reset()
		return strings.Fields(after)[0]
	}
	l := newLive(synthetic, nil, o)
	if s := status(); s != string(CacheMissing) {
		t.Fatalf("first start: cache %s, want missing", s)
	}
	l.Publish(newArticle)
	if s := status(); s != string(CacheStale) {
		t.Fatalf("publish: cache %s, want stale", s)
	}
	l = newLive(synthetic, []Article{newArticle}, o)
	if s := status(); s != string(CacheLoaded) {
		t.Fatalf("start after the publish: cache %s, want loaded", s)
	}
	if got := l.Search("badge reader beeps red", 1); len(got) != 1 || got[0].Article.ID != newArticle.ID {
		t.Errorf("search = %v, want the published article", ids(got))
	}

	// In the background the cache is written after the index is ready,
	// and is there once the Live is settled.
	o.Background, o.CachePath = true, filepath.Join(t.TempDir(), "kb-index.cache")
	l = newLive(synthetic, nil, o)
	<-l.Ready()
	<-l.Settled()
	if s := status(); s != string(CacheMissing) {
		t.Fatalf("first start in the background: cache %s, want missing", s)
	}
	if _, err := os.Stat(o.CachePath); err != nil {
		t.Fatalf("settled without the cache written: %v", err)
	}
	l = newLive(synthetic, nil, o)
	<-l.Settled()
	if s := status(); s != string(CacheLoaded) {
		t.Fatalf("the next start: cache %s, want loaded", s)
	}
}

// TestIndexFieldsCached fails when Index or its analyzer gains or loses a
// field: a field the index cache does not write would be missing from every
// index read back. Write it in indexcodec.go (or cover it by the key, as
// the parameters are), compare it in sameIndex, then list it here.
func TestIndexFieldsCached(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want []string
	}{
		{Index{}, []string{"articles", "an", "p", "terms", "pairs", "termPost", "pairPost", "sigs", "termIDF", "titles", "titleIDF", "bufs"}},
		{analyzer{}, []string{"stems", "learn", "keepStops"}},
		{postingTable{}, []string{"start", "docs", "impact", "best", "fields"}},
	} {
		typ := reflect.TypeOf(tt.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s has fields %v; the index cache knows %v", typ.Name(), got, tt.want)
		}
	}
}
