package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const vpnArticle = `---
id: vpn-cannot-connect
title: VPN won't connect
category: network        # a comment
tags: [vpn, globalprotect, remote]
summary: Fix the most common reasons the VPN client fails to connect.
---
# VPN won't connect

Check the internet first.
`

func TestParseArticle(t *testing.T) {
	got, err := ParseArticle([]byte(vpnArticle), "kb/vpn.md")
	if err != nil {
		t.Fatal(err)
	}
	want := Article{
		ID:       "vpn-cannot-connect",
		Title:    "VPN won't connect",
		Category: "network",
		Summary:  "Fix the most common reasons the VPN client fails to connect.",
		Tags:     []string{"vpn", "globalprotect", "remote"},
		Body:     "# VPN won't connect\n\nCheck the internet first.",
		Source:   "kb/vpn.md",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseArticle mismatch (-want +got):\n%s", diff)
	}
}

func TestParseArticleDefaults(t *testing.T) {
	tests := []struct {
		name, file string
		want       Article
	}{
		{
			name: "derived summary and default category",
			file: "---\nid: a\ntitle: A\n---\n## Symptoms\n\nOutlook asks for your **password** again. Then it closes.\n",
			want: Article{ID: "a", Title: "A", Category: "other", Summary: "Outlook asks for your password again.",
				Body: "## Symptoms\n\nOutlook asks for your **password** again. Then it closes.", Source: "x.md"},
		},
		{
			name: "CRLF, byte order mark and empty tags",
			file: "\ufeff---\r\nid: b\r\ntitle: B\r\ncategory: Email\r\ntags:\r\n---\r\nBody.\r\n",
			want: Article{ID: "b", Title: "B", Category: "email", Summary: "Body.", Body: "Body.", Source: "x.md"},
		},
		{
			name: "closing line at end of file",
			file: "---\nid: c\ntitle: C\nsummary: S\n---",
			want: Article{ID: "c", Title: "C", Category: "other", Summary: "S", Source: "x.md"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArticle([]byte(tt.file), "x.md")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseArticleErrors(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string // substrings of the error
	}{
		{"no front matter", "# Title\n\nbody\n", []string{"missing front matter", "must start with a '---' line"}},
		{"not closed", "---\nid: a\ntitle: A\n\nbody\n", []string{"not closed", "add a '---' line"}},
		{"bad yaml", "---\nid: a\ntitle: A\nsummary: \"Low disk\" warnings\n---\n", []string{"line 4", "not valid YAML", "quoted as a whole"}},
		{"not a mapping", "---\n- a\n- b\n---\n", []string{"'key: value' lines"}},
		{"unknown key", "---\nid: a\ntitle: A\ntag: [vpn]\n---\n", []string{`unknown front matter key "tag"`, "line 4", "known keys are id, title"}},
		{"missing id", "---\ntitle: A\n---\n", []string{"no id", "add a line like 'id: "}},
		{"empty id", "---\nid: \"\"\ntitle: A\n---\n", []string{"no id"}},
		{"id with spaces", "---\nid: vpn help\ntitle: A\n---\n", []string{`id "vpn help" contains spaces`}},
		{"missing title", "---\nid: a\n---\n", []string{"no title", "add a line like 'title: "}},
		{"unknown category", "---\nid: a\ntitle: A\ncategory: networking\n---\n", []string{`unknown category "networking"`, "use one of account, mfa"}},
		{"tags not a list", "---\nid: a\ntitle: A\ntags: vpn, remote\n---\n", []string{"tags must be a list", "tags: [vpn, remote]"}},
		{"duplicate key", "---\nid: a\ntitle: A\nid: b\n---\n", []string{`key "id" appears on lines 2 and 4; keep one`}},
		{"title is a list", "---\nid: a\ntitle: [a, b]\n---\n", []string{`key "title" on line 3 must be a single value`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseArticle([]byte(tt.file), "articles/x.md")
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalidArticle) {
				t.Errorf("error %v does not wrap ErrInvalidArticle", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "kb: articles/x.md: ") {
				t.Errorf("error %q does not start with the prefix and file name", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"kb/b.md":        {Data: []byte("---\nid: b\ntitle: B\n---\nBee.\n")},
		"kb/a.md":        {Data: []byte("---\nid: a\ntitle: A\n---\nAy.\n")},
		"kb/README.md":   {Data: []byte("# not an article\n")},
		"kb/notes.txt":   {Data: []byte("ignored")},
		"kb/sub/c.md":    {Data: []byte("---\nid: c\ntitle: C\n---\n")},
		"other/d.md":     {Data: []byte("---\nid: d\ntitle: D\n---\n")},
		"kb/sub.md/e.md": {Data: []byte("---\nid: e\ntitle: E\n---\n")},
	}
	arts, err := LoadFS(fsys, "kb")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range arts {
		got = append(got, a.ID+"@"+a.Source)
	}
	if diff := cmp.Diff([]string{"a@kb/a.md", "b@kb/b.md"}, got); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
}

func TestLoadFSErrors(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{
			name: "duplicate id",
			fsys: fstest.MapFS{
				"kb/a.md": {Data: []byte("---\nid: same\ntitle: A\n---\n")},
				"kb/b.md": {Data: []byte("---\nid: same\ntitle: B\n---\n")},
			},
			want: []string{"kb/b.md", `id "same" is already used by kb/a.md`, "give one of them another id"},
		},
		{
			name: "bad file",
			fsys: fstest.MapFS{"kb/a.md": {Data: []byte("---\nid: a\n---\n")}},
			want: []string{"kb/a.md", "no title"},
		},
		{
			name: "no articles",
			fsys: fstest.MapFS{"kb/README.md": {Data: []byte("hi")}},
			want: []string{`no *.md articles in directory "kb"`},
		},
		{
			name: "no directory",
			fsys: fstest.MapFS{},
			want: []string{"kb: reading article directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(tt.fsys, "kb")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	_, err := LoadFS(fstest.MapFS{}, "kb")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing directory: error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vpn.md"), []byte(vpnArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	arts, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != "vpn-cannot-connect" || arts[0].Source != filepath.Join(dir, "vpn.md") {
		t.Errorf("LoadDir = %+v", arts)
	}
	if _, err := LoadDir(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("LoadDir(missing) error = %v, want one naming the directory", err)
	}
}

func TestBuiltin(t *testing.T) {
	arts, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if !strings.HasPrefix(a.Source, "builtin:") || !strings.HasSuffix(a.Source, ".md") {
			t.Errorf("%s: Source = %q, want builtin:<name>.md", a.ID, a.Source)
		}
		if a.Summary == "" || a.Body == "" {
			t.Errorf("%s: empty summary or body", a.Source)
		}
	}
}

func TestLoadJSONL(t *testing.T) {
	in := `{"id": "sfaq-000", "title": "Strikethrough", "body": "Use ~~tildes~~. Or <del>."}

{"id": "m365-1", "title": "T", "body": "B"}
`
	got, err := LoadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Article{
		{ID: "sfaq-000", Title: "Strikethrough", Category: "other", Summary: "Use ~~tildes~~.", Body: "Use ~~tildes~~. Or <del>.", Source: "jsonl:1"},
		{ID: "m365-1", Title: "T", Category: "other", Summary: "B", Body: "B", Source: "jsonl:3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadJSONL (-want +got):\n%s", diff)
	}

	for _, tt := range []struct{ in, want string }{
		{`{"id": "a"` + "\n", "jsonl line 1"},
		{`{"title": "x"}`, `line 1: invalid article: no "id"`},
		{`{"id": "a"}` + "\n" + `{"id": "a"}`, `line 2: invalid article: id "a" is already used on line 1`},
	} {
		if _, err := LoadJSONL(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadJSONL(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestLoadFSInOrder loads many files, as the parallel reading does with a
// large kb.dir, and wants what reading them one by one in name order
// gives: the same articles in the same order, and of several bad files the
// error of the first.
func TestLoadFSInOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	var want []Article
	for i := range 300 {
		name := fmt.Sprintf("a%03d.md", i)
		data := fmt.Sprintf("---\nid: a%d\ntitle: Article %d\ntags: [t%d]\n---\nBody %d, long enough. %s\n", i, i, i%7, i, strings.Repeat("x", i*37))
		fsys["kb/"+name] = &fstest.MapFile{Data: []byte(data)}
		a, err := ParseArticle([]byte(data), "kb/"+name)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, a)
	}
	got, err := LoadFS(fsys, "kb")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("LoadFS (-want +got):\n%s", diff)
	}
	fsys["kb/a100.md"] = &fstest.MapFile{Data: []byte("---\nid: a100\n---\n")}
	fsys["kb/a200.md"] = &fstest.MapFile{Data: []byte("---\nid: a1\ntitle: Again\n---\n")}
	fsys["kb/a250.md"] = &fstest.MapFile{Data: []byte("no front matter")}
	for range 20 {
		if _, err := LoadFS(fsys, "kb"); err == nil || !strings.Contains(err.Error(), "kb/a100.md") {
			t.Fatalf("error %v, want the first bad file's, kb/a100.md", err)
		}
	}
	delete(fsys, "kb/a100.md")
	if _, err := LoadFS(fsys, "kb"); err == nil || !strings.Contains(err.Error(), `kb/a200.md: invalid article: id "a1" is already used by kb/a001.md`) {
		t.Fatalf("error %v, want kb/a200.md's duplicate id", err)
	}
}
