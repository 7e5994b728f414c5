package kb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// frontMatterCases are front matters at the edge of simpleFrontMatter's
// subset, on both sides.
var frontMatterCases = []string{
	"id: a\ntitle: B\n",
	"id: vpn-cannot-connect\ntitle: VPN won't connect\ncategory: network\ntags: [vpn, globalprotect, remote]\nsummary: Fix the most common reasons the VPN client fails to connect.\n",
	"id: a\ntitle: \"JSON \\\"quoted\\\" \\u00e9\\u4e2d \\\\ \\n\\t\\b\\f\\r\"\n",
	"id: a\ntitle: \"slash \\/\"\n", "id: a\ntitle: \"surrogate \\ud83d\\ude00\"\n",
	"id: a\ntitle: \"trailing\"   \n", "id: a\ntitle: \"trailing\" # c\n", "id: a\ntitle: \"open\n", "id: a\ntitle: \"a\" b\"\n",
	"id: a\ntitle: \"\\x41 \\U00000041 \\' \\0 \\e\"\n", "id: a\ntitle: \"\\u12\"\n", "id: a\ntitle: \"\\uzzzz\"\n", "id: a\ntitle: \"\"\n",
	"id: a\ntitle: 'single'\n", "id: a\ntitle: it's fine\n", "id: a\ntitle: a \"quoted\" word\n",
	"id: a\ntitle: a: b\n", "id: a\ntitle: a:b\n", "id: a\ntitle: ends:\n", "id: a\ntitle: x # comment\n", "id: a\ntitle: x#y\n",
	"id: a\ntitle: ~\n", "id: a\ntitle: null\n", "id: a\ntitle: Null\n", "id: a\ntitle: NULL\n", "id: a\ntitle: nULL\n", "id: a\ntitle:\n", "id: a\ntitle: \n",
	"id: 123\ntitle: 0x1F\n", "id: a\ntitle: 1.5e3\n", "id: a\ntitle: true\n", "id: a\ntitle: yes\n", "id: a\ntitle: 2024-01-02\n", "id: a\ntitle: .inf\n", "id: a\ntitle: <<\n",
	"id: a\ntitle: -x\n", "id: a\ntitle: - x\n", "id: a\ntitle: ?x\n", "id: a\ntitle: :x\n", "id: a\ntitle: [x]\n", "id: a\ntitle: {x: y}\n", "id: a\ntitle: &x y\n",
	"id: a\ntitle: *x\n", "id: a\ntitle: !x y\n", "id: a\ntitle: |\n  x\n", "id: a\ntitle: >\n  x\n", "id: a\ntitle: %x\n", "id: a\ntitle: @x\n", "id: a\ntitle: `x`\n",
	"id: a\ntitle: x  y   \n", "id: a\ntitle:  two spaces\n", "id: a\ntitle:\tx\n", "id: a\ntitle: x\ty\n", "id: a\ntitle: héllo\n", "id: a\ntitle: x\r\n",
	"id: a\ntitle: long\n  continued\n", "id: a\n\ntitle: b\n", "# c\nid: a\ntitle: b\n", "id: a\ntitle: b\nid: c\n", "id: a\nTitle: b\n", "id: a\nother: b\n",
	"id: a\ntitle: b", "", "id:a\ntitle: b\n", " id: a\ntitle: b\n", "id : a\ntitle: b\n", "id: a\ntitle: http://x.y/z?q=1&r=2\n",
	"id: a\ntitle: b\ntags: []\n", "id: a\ntitle: b\ntags: [a]\n", "id: a\ntitle: b\ntags: [ a , b c ,d.e, wi-fi, x_y ]\n", "id: a\ntitle: b\ntags: [a,]\n",
	"id: a\ntitle: b\ntags: [a, null]\n", "id: a\ntitle: b\ntags: [a, ~]\n", "id: a\ntitle: b\ntags: [a, 'b']\n", "id: a\ntitle: b\ntags: [a, [b]]\n",
	"id: a\ntitle: b\ntags: [a, b: c]\n", "id: a\ntitle: b\ntags: [a, b #c]\n", "id: a\ntitle: b\ntags: [a, -b]\n", "id: a\ntitle: b\ntags: [1, 2.5, true]\n",
	"id: a\ntitle: b\ntags: x\n", "id: a\ntitle: b\ntags:\n", "id: a\ntitle: b\ntags: [a, b] # c\n", "id: a\ntitle: b\ntags:\n  - a\n",
	"id: a\ntitle: b\ncategory: Network\nsummary: S.\n", "id: a\ntitle: b\nsummary: s: t\n", "id: a\ntitle: b\ncategory: [x]\n",
}

// TestSimpleFrontMatterMatchesYAML wants every front matter that
// simpleFrontMatter reads to decode to the same with the YAML parser, and
// the common ones to be read.
func TestSimpleFrontMatterMatchesYAML(t *testing.T) {
	accepted := 0
	for _, head := range frontMatterCases {
		if got, ok := simpleFrontMatter([]byte(head)); ok {
			accepted++
			want, err := parseFrontMatter([]byte(head), "t.md")
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%q: read %+v; YAML gives %+v, %v", head, got, want, err)
			}
		}
	}
	for _, head := range frontMatterCases[:3] {
		if _, ok := simpleFrontMatter([]byte(head)); !ok {
			t.Errorf("%q: not read", head)
		}
	}
	t.Logf("%d of %d read without the YAML parser", accepted, len(frontMatterCases))
}

// TestSimpleFrontMatterEval reads the titles of the evaluation KB quoted
// as JSON (as the start-up benchmark writes them) and as Go does, and
// wants what the YAML parser gives wherever the fast path reads them.
func TestSimpleFrontMatterEval(t *testing.T) {
	arts := evalArticlesOrSkip(t)
	read := 0
	for _, a := range arts {
		j, _ := json.Marshal(a.Title)
		for _, title := range []string{string(j), strconv.Quote(a.Title), strconv.QuoteToASCII(a.Title), a.Title} {
			head := "id: " + a.ID + "\ntitle: " + title + "\n"
			got, ok := simpleFrontMatter([]byte(head))
			if !ok {
				continue
			}
			read++
			want, err := parseFrontMatter([]byte(head), "t.md")
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: read %+v; YAML gives %+v, %v", head, got, want, err)
			}
		}
	}
	t.Logf("%d of %d read without the YAML parser", read, 4*len(arts))
}

// TestBuiltinFrontMatter checks the fast path against YAML on the built-in
// articles.
func TestBuiltinFrontMatter(t *testing.T) {
	files, err := filepath.Glob("articles/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in articles: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, _, err := splitFrontMatter(data)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := simpleFrontMatter(head); ok {
			want, err := parseFrontMatter(head, f)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: read %+v; YAML gives %+v, %v", f, got, want, err)
			}
		}
	}
}

// FuzzSimpleFrontMatter holds the fast path to the YAML parser on whatever
// the fuzzer makes.
//
//	go test -run '^$' -fuzz FuzzSimpleFrontMatter -fuzztime 30s ./kb/
func FuzzSimpleFrontMatter(f *testing.F) {
	for _, s := range frontMatterCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, head string) {
		got, ok := simpleFrontMatter([]byte(head))
		if !ok {
			return
		}
		want, err := parseFrontMatter([]byte(head), "t.md")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: read %+v; YAML gives %+v, %v", head, got, want, err)
		}
		if strings.Contains(head, "\t") {
			t.Errorf("%q: read with a tab", head)
		}
	})
}
