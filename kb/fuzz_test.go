package kb

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseArticle reads whatever the fuzzer makes as a KB article file:
// front matter and body. It must never panic, and an article it accepts
// has an ID and a title.
//
//	go test -run '^$' -fuzz FuzzParseArticle -fuzztime 10s ./kb/
func FuzzParseArticle(f *testing.F) {
	for _, s := range []string{
		"---\nid: vpn\ntitle: VPN won't connect\ncategory: network\ntags: [vpn, wifi]\nsummary: Fix it\n---\nSteps.\n",
		"---\nid: x\n---\n", "---\n---\n", "---", "", "no front matter", "---\nid: [1, 2]\ntitle: {a: b}\n---\n",
		"---\nid: a\ntitle: b\ntags: \"x\"\n---\n\x00", "<!-- DRAFT -->\n---\nid: a\ntitle: b\n---\n", "---\r\nid: a\r\ntitle: b\r\n---\r\nbody",
		"---\nid: &a x\ntitle: *a\n---\n", "---\nid: " + strings.Repeat("a", 5000) + "\ntitle: t\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseArticle(data, "fuzz.md")
		if err != nil {
			if err.Error() == "" {
				t.Error("an error without words")
			}
			return
		}
		if a.ID == "" || a.Title == "" {
			t.Errorf("accepted an article without an ID or title: %+v", a)
		}
		if utf8.Valid(data) && !utf8.ValidString(a.Title) {
			t.Errorf("title %q is not UTF-8", a.Title)
		}
	})
}
