package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"
)

// newArticle is a published article about a problem the synthetic KB does
// not cover.
var newArticle = Article{ID: "ticket-7-badge-reader", Title: "Door badge reader rejects your badge", Category: "access",
	Tags: []string{"badge", "door", "reader"}, Summary: "The badge reader beeps red? Re-register the badge at reception.",
	Body: "If the door badge reader beeps red, your badge was deactivated after 30 days unused. Reception re-registers it."}

func TestLivePublish(t *testing.T) {
	l := NewLive(synthetic, nil)
	if l.Len() != len(synthetic) {
		t.Fatalf("Len = %d, want %d", l.Len(), len(synthetic))
	}
	before := l.Index()
	if got := l.Search("badge reader beeps red", 3); len(got) != 0 {
		t.Fatalf("before publishing, search found %v", ids(got))
	}

	l.Publish(newArticle)
	if got := l.Search("badge reader beeps red", 3); len(got) == 0 || got[0].Article.ID != newArticle.ID {
		t.Errorf("after publishing, search = %v, want %s first", ids(got), newArticle.ID)
	}
	if a, ok := l.Article(newArticle.ID); !ok || a.Title != newArticle.Title {
		t.Errorf("Article(%q) = %v, %v", newArticle.ID, a, ok)
	}
	if l.Len() != len(synthetic)+1 {
		t.Errorf("Len = %d, want %d", l.Len(), len(synthetic)+1)
	}
	if before.Len() != len(synthetic) {
		t.Errorf("an earlier snapshot changed: Len = %d", before.Len())
	}

	// Publishing again replaces by ID.
	edited := newArticle
	edited.Title = "Badge reader: door will not open"
	l.Publish(edited)
	if l.Len() != len(synthetic)+1 {
		t.Errorf("republishing added a copy: Len = %d", l.Len())
	}
	if a, _ := l.Article(newArticle.ID); a.Title != edited.Title {
		t.Errorf("title after republishing = %q, want %q", a.Title, edited.Title)
	}
}

func TestLiveReplacesBaseArticle(t *testing.T) {
	replacement := synthetic[0] // "vpn"
	replacement.Title = "GlobalProtect VPN won't connect"
	replacement.Body = "Sign out of GlobalProtect and sign in again with the portal vpn.example.com."
	for _, tt := range []struct {
		name string
		live func() *Live
	}{
		{"at start", func() *Live { return NewLive(synthetic, []Article{replacement}) }},
		{"published later", func() *Live { l := NewLive(synthetic, nil); l.Publish(replacement); return l }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.live()
			if l.Len() != len(synthetic) {
				t.Errorf("Len = %d, want %d", l.Len(), len(synthetic))
			}
			if a, _ := l.Article("vpn"); a.Title != replacement.Title {
				t.Errorf("title = %q, want the published one", a.Title)
			}
			if got := l.Search("vpn.example.com portal", 1); len(got) == 0 || got[0].Article.ID != "vpn" {
				t.Errorf("search = %v, want vpn", ids(got))
			}
		})
	}
}

// Searches run while articles are published; with -race this checks the
// swap is safe, and every search sees a whole index.
func TestLiveConcurrent(t *testing.T) {
	l := NewLive(synthetic, nil)
	const publishers, searchers, n = 4, 8, 25
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				a := newArticle
				a.ID = fmt.Sprintf("badge-%d-%d", p, i)
				l.Publish(a)
			}
		}()
	}
	errs := make(chan string, searchers)
	for range searchers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 * n {
				if got := l.Search("vpn won't connect", 1); len(got) != 1 || got[0].Article.ID != "vpn" {
					errs <- fmt.Sprintf("search = %v", ids(got))
					return
				}
				if _, ok := l.Article("printer"); !ok {
					errs <- "a base article went missing"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if want := len(synthetic) + publishers*n; l.Len() != want {
		t.Errorf("Len = %d, want %d", l.Len(), want)
	}
}

// BenchmarkLivePublish measures one Publish (a full rebuild and swap) over
// KBs of the sizes a help desk has.
func BenchmarkLivePublish(b *testing.B) {
	builtin, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	sizes := []struct {
		name string
		arts []Article
	}{{fmt.Sprintf("builtin-%d", len(builtin)), builtin}}
	if eval := loadEvalArticles(b); eval != nil {
		hundred := append(append([]Article(nil), builtin...), eval[:100-len(builtin)]...)
		sizes = append(sizes,
			struct {
				name string
				arts []Article
			}{"100", hundred},
			struct {
				name string
				arts []Article
			}{fmt.Sprintf("eval-%d", len(eval)), eval})
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			l := NewLive(sz.arts, nil)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				a := newArticle
				a.ID = fmt.Sprintf("bench-%d", i%8)
				l.Publish(a)
			}
		})
	}
}

// loadEvalArticles returns the evaluation corpus, or nil when it is absent.
func loadEvalArticles(tb testing.TB) []Article {
	tb.Helper()
	f, err := os.Open(evalArticles)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	arts, err := LoadJSONL(f)
	if err != nil {
		tb.Fatal(err)
	}
	return arts
}

func TestIndexArticles(t *testing.T) {
	ix := NewIndex(synthetic)
	got := ix.Articles()
	if len(got) != len(synthetic) || got[0].ID != synthetic[0].ID {
		t.Fatalf("Articles = %d articles", len(got))
	}
	got[0].Title = "changed"
	if a, _ := ix.Article(synthetic[0].ID); a.Title == "changed" {
		t.Error("Articles returned the index's own slice")
	}
	if l := NewLive(ix.Articles(), nil); l.Len() != ix.Len() {
		t.Errorf("Live over Articles has %d, want %d", l.Len(), ix.Len())
	}
}

// TestLiveBackground: with the first index built in the background, a
// report made before it is ready waits for it and is offered its articles,
// and so does every other use of the Live; Len answers without waiting.
func TestLiveBackground(t *testing.T) {
	gate := make(chan struct{})
	l := startLive(synthetic, []Article{newArticle}, LiveOptions{Background: true}, func(l *Live) *Index {
		<-gate
		return l.build()
	})
	if n := l.Len(); n != len(synthetic)+1 {
		t.Errorf("Len before ready = %d, want %d", n, len(synthetic)+1)
	}
	type answer struct {
		what string
		ok   bool
	}
	answers := make(chan answer, 4)
	go func() {
		o := l.Offer("vpn won't connect", 3)
		answers <- answer{"offer", len(o.Results) > 0 && o.Results[0].Article.ID == "vpn"}
	}()
	go func() {
		got := l.Search("badge reader beeps red", 1)
		answers <- answer{"search", len(got) == 1 && got[0].Article.ID == newArticle.ID}
	}()
	go func() {
		_, ok := l.Article("printer")
		answers <- answer{"article", ok}
	}()
	go func() {
		edited := newArticle
		edited.Title = "Badge reader: door will not open"
		l.Publish(edited)
		a, _ := l.Article(newArticle.ID)
		answers <- answer{"publish", a.Title == edited.Title}
	}()
	select {
	case a := <-answers:
		t.Fatalf("the %s answered before the index was built", a.what)
	case <-l.Ready():
		t.Fatal("ready before the index was built")
	default:
	}
	close(gate)
	<-l.Ready()
	for range 4 {
		if a := <-answers; !a.ok {
			t.Errorf("the %s made before the index was ready got a wrong answer", a.what)
		}
	}
}
