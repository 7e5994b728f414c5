package kb

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"gopkg.in/yaml.v3"
)

//go:embed articles/*.md
var builtinFS embed.FS

// ErrInvalidArticle is wrapped by every error about the content of an article
// file (as opposed to an error reading it).
var ErrInvalidArticle = errors.New("invalid article")

// frontMatterKeys are the keys an article's front matter may have.
var frontMatterKeys = [...]string{"id", "title", "category", "tags", "summary"}

// frontMatter is the YAML header of an article file.
type frontMatter struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Category string   `yaml:"category"`
	Tags     []string `yaml:"tags"`
	Summary  string   `yaml:"summary"`
}

// Builtin returns the articles embedded from kb/articles/*.md, sorted by file
// name. Their Source is "builtin:<file name>".
func Builtin() ([]Article, error) {
	return loadFS(builtinFS, "articles", "built-in articles", func(name string) string { return "builtin:" + name })
}

// LoadDir loads every *.md file in dir (not its subdirectories), sorted by
// file name; it replaces the built-in KB when config names a directory. A
// README.md is skipped. Source is the file's path.
func LoadDir(dir string) ([]Article, error) {
	return loadFS(os.DirFS(dir), ".", dir, func(name string) string { return filepath.Join(dir, name) })
}

// LoadFS loads every *.md file in directory dir of fsys, like LoadDir. Source
// is the file's path in fsys. Files are opened from several goroutines at
// once, as os.DirFS, embed.FS and fstest.MapFS allow.
func LoadFS(fsys fs.FS, dir string) ([]Article, error) {
	return loadFS(fsys, dir, dir, func(name string) string { return path.Join(dir, name) })
}

// loadFS is LoadFS with Source set to source(file name); where names the
// directory in errors. The files are read and parsed on up to GOMAXPROCS
// goroutines (a kb.dir of 2,504 articles is some 80 ms of parsing), each
// reading into one buffer it reuses; the result, and the error reported
// when several files are bad, are those of reading them one by one in
// name order.
func loadFS(fsys fs.FS, dir, where string, source func(name string) string) ([]Article, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("kb: reading article directory %q: %w", where, err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") {
			continue
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("kb: no *.md articles in directory %q", where)
	}
	arts := make([]Article, len(names))
	errs := make([]error, len(names))
	var (
		next   atomic.Int64 // the next file to read
		failed atomic.Bool  // a file failed: the rest need not be read
		wg     sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(names) {
					return
				}
				src := source(names[i])
				if err := readFile(fsys, path.Join(dir, names[i]), &buf); err != nil {
					errs[i] = fmt.Errorf("kb: %s: %w", src, err)
				} else {
					arts[i], errs[i] = ParseArticle(buf.Bytes(), src)
				}
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	seen := make(map[string]string, len(arts)) // id → source
	for i := range arts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		a := &arts[i]
		if prev, ok := seen[a.ID]; ok {
			return nil, fmt.Errorf("kb: %s: %w: id %q is already used by %s; give one of them another id",
				a.Source, ErrInvalidArticle, a.ID, prev)
		}
		seen[a.ID] = a.Source
	}
	return arts, nil
}

// readFile reads the file name of fsys into buf, replacing what it held.
// ParseArticle keeps nothing of the bytes it parses, so one buffer serves
// every file.
func readFile(fsys fs.FS, name string, buf *bytes.Buffer) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	buf.Reset()
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() < 1<<30 {
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(f)
	return err
}

// ParseArticle parses one markdown article with YAML front matter. source
// names the file in error messages and becomes Article.Source.
func ParseArticle(data []byte, source string) (Article, error) {
	fail := func(format string, args ...any) (Article, error) {
		return Article{}, fmt.Errorf("kb: %s: %w: "+format, append([]any{source, ErrInvalidArticle}, args...)...)
	}
	head, body, err := splitFrontMatter(data)
	if err != nil {
		return fail("%v", err)
	}
	fm, ok := simpleFrontMatter(head)
	if !ok {
		if fm, err = parseFrontMatter(head, source); err != nil {
			return Article{}, err
		}
	}
	a := Article{
		ID:       strings.TrimSpace(fm.ID),
		Title:    strings.TrimSpace(fm.Title),
		Category: strings.ToLower(strings.TrimSpace(fm.Category)),
		Summary:  strings.TrimSpace(fm.Summary),
		Body:     strings.TrimSpace(string(body)),
		Source:   source,
	}
	for _, t := range fm.Tags {
		if t = strings.TrimSpace(t); t != "" {
			a.Tags = append(a.Tags, t)
		}
	}
	switch {
	case a.ID == "":
		return fail("front matter has no id; add a line like 'id: vpn-cannot-connect'")
	case strings.IndexFunc(a.ID, unicode.IsSpace) >= 0:
		return fail("id %q contains spaces; use dashes, like 'id: vpn-cannot-connect'", a.ID)
	case a.Title == "":
		return fail("front matter has no title; add a line like 'title: VPN won't connect'")
	}
	if a.Category == "" {
		a.Category = DefaultCategory
	} else if !validCategory(a.Category) {
		return fail("unknown category %q; use one of %s", a.Category, strings.Join(categories, ", "))
	}
	if a.Summary == "" {
		a.Summary = FirstSentence(a.Body)
	}
	return a, nil
}

// parseFrontMatter decodes a front matter with the YAML parser, checking
// its keys and their kinds of value.
func parseFrontMatter(head []byte, source string) (frontMatter, error) {
	fail := func(format string, args ...any) (frontMatter, error) {
		return frontMatter{}, fmt.Errorf("kb: %s: %w: "+format, append([]any{source, ErrInvalidArticle}, args...)...)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(head, &node); err != nil {
		line, text := yamlErrorLine(head)
		return frontMatter{}, fmt.Errorf("kb: %s: %w: front matter line %d (%s) is not valid YAML: %w; a value that contains ': ' or ' #', or starts with a quote, '[' or '{', must be quoted as a whole",
			source, ErrInvalidArticle, line, text, yamlError{err})
	}
	if len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return fail("front matter must be a list of 'key: value' lines (%s)", strings.Join(frontMatterKeys[:], ", "))
	}
	m := node.Content[0]
	keyLine := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, line := m.Content[i].Value, m.Content[i].Line+1
		if prev, ok := keyLine[k]; ok {
			return fail("front matter key %q appears on lines %d and %d; keep one", k, prev, line)
		}
		keyLine[k] = line
		if !contains(frontMatterKeys[:], k) {
			return fail("unknown front matter key %q on line %d; known keys are %s",
				k, line, strings.Join(frontMatterKeys[:], ", "))
		}
		if v := m.Content[i+1]; k == "tags" && v.Kind != yaml.SequenceNode && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			return fail("tags must be a list, like tags: [vpn, remote]")
		} else if k != "tags" && v.Kind != yaml.ScalarNode {
			return fail("front matter key %q on line %d must be a single value", k, v.Line+1)
		}
	}
	var fm frontMatter
	if err := m.Decode(&fm); err != nil {
		return frontMatter{}, fmt.Errorf("kb: %s: %w: front matter: %w", source, ErrInvalidArticle, err)
	}
	return fm, nil
}

// splitFrontMatter splits a file into its YAML front matter (between the
// first two '---' lines) and the body after it.
func splitFrontMatter(data []byte) (head, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, nil, errors.New("missing front matter: the file must start with a '---' line, then 'id:' and 'title:' lines, then another '---' line")
	}
	rest := data[len("---\n"):]
	for off := 0; off < len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if end >= 0 {
			line = rest[off : off+end]
		}
		if t := bytes.TrimRight(line, " \t"); string(t) == "---" || string(t) == "..." {
			if end < 0 {
				return rest[:off], nil, nil
			}
			return rest[:off], rest[off+end+1:], nil
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return nil, nil, errors.New("front matter is not closed: add a '---' line after the last front matter key")
}

// yamlError is a YAML syntax error without yaml.v3's line number, which
// counts from the wrong place and often points at the line before the
// problem.
type yamlError struct{ err error }

func (e yamlError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			msg = after
		}
	}
	return msg
}

func (e yamlError) Unwrap() error { return e.err }

// yamlErrorLine finds the first line of a front matter that makes it
// invalid YAML, as a line number of the article file (whose first line is
// the opening '---'), and that line's text.
func yamlErrorLine(head []byte) (int, string) {
	lines := strings.SplitAfter(string(head), "\n")
	var node yaml.Node
	for i := range lines {
		if yaml.Unmarshal([]byte(strings.Join(lines[:i+1], "")), &node) != nil {
			return i + 2, strings.TrimSpace(lines[i])
		}
	}
	return len(lines) + 1, ""
}

// jsonlArticle is one line of the evaluation corpus format.
type jsonlArticle struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// LoadJSONL reads articles in the evaluation format, one JSON object
// {"id","title","body"} per line. Blank lines are skipped. Summary is the
// first sentence of the body, Category is "other" and Source is
// "jsonl:<line>".
func LoadJSONL(r io.Reader) ([]Article, error) {
	var arts []Article
	seen := make(map[string]int)
	err := forEachLine(r, func(n int, line []byte) error {
		var j jsonlArticle
		if err := json.Unmarshal(line, &j); err != nil {
			return fmt.Errorf("kb: jsonl line %d: %w", n, err)
		}
		if j.ID == "" {
			return fmt.Errorf("kb: jsonl line %d: %w: no \"id\"", n, ErrInvalidArticle)
		}
		if prev, ok := seen[j.ID]; ok {
			return fmt.Errorf("kb: jsonl line %d: %w: id %q is already used on line %d", n, ErrInvalidArticle, j.ID, prev)
		}
		seen[j.ID] = n
		arts = append(arts, Article{
			ID:       j.ID,
			Title:    j.Title,
			Category: DefaultCategory,
			Summary:  FirstSentence(j.Body),
			Body:     j.Body,
			Source:   fmt.Sprintf("jsonl:%d", n),
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arts, nil
}

// forEachLine calls fn with every non-blank line of r and its 1-based number.
func forEachLine(r io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("kb: reading lines: %w", err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
