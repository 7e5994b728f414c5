package kb

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// DraftMarker starts the comment line that marks a generated article as a
// draft. It must be removed by the reviewing agent before the article may be
// published; see IsDraft.
const DraftMarker = "<!-- DRAFT"

// IsDraft reports whether markdown still carries the draft marker.
func IsDraft(markdown string) bool { return strings.Contains(markdown, DraftMarker) }

// TicketFacts is what a resolved ticket tells about its problem, as plain
// values so the KB does not depend on the ticket domain.
type TicketFacts struct {
	Number     int64  // the ticket number, 42 for #42
	Title      string // the ticket's summary; the symptom when empty
	Category   string // one of the article categories; "other" when unknown
	Symptom    string
	Device     string
	Error      string   // the error message as the requester saw it
	Steps      []string // what the requester tried before the ticket
	Handoff    []string // handoff notes of escalations, oldest first
	Resolution string   // what fixed it
}

// Draft is an article written from a ticket for an agent to review.
type Draft struct {
	ID       string
	Markdown string // front matter and body, as ParseArticle reads it
}

// maxSlugWords and maxSlugLen bound the words of an ID taken from the title.
const (
	maxSlugWords = 4
	maxSlugLen   = 40
)

// DraftFromTicket writes an article draft from a resolved ticket: front
// matter (id, title, category, tags, summary) and a body with the symptoms,
// what fixed it, what did not help and the desk's notes. The body starts
// with a DraftMarker comment telling the reviewer what to check.
func DraftFromTicket(f TicketFacts) (Draft, error) {
	title := oneLine(f.Title)
	if title == "" {
		title = oneLine(f.Symptom)
	}
	title = strings.TrimRight(title, ".!?")
	words := contentWords(title)
	if title == "" {
		title = fmt.Sprintf("Problem from ticket #%d", f.Number)
	}
	title = capitalize(title)
	category := strings.ToLower(strings.TrimSpace(f.Category))
	if !validCategory(category) {
		category = DefaultCategory
	}
	id := fmt.Sprintf("ticket-%d", f.Number)
	if s := slug(words); s != "" {
		id += "-" + s
	}
	tags := tagsFrom(category, words)
	summary := title + "?"
	if fix := FirstSentence(f.Resolution); fix != "" {
		summary += " " + capitalize(fix)
	}
	summary = cut(summary, maxSummary)

	head, err := frontMatterYAML(frontMatter{ID: id, Title: title, Category: category, Tags: tags, Summary: summary})
	if err != nil {
		return Draft{}, fmt.Errorf("kb: draft from ticket #%d: %w", f.Number, err)
	}
	var body bytes.Buffer
	data := map[string]any{
		"Number":     f.Number,
		"Marker":     DraftMarker,
		"Symptom":    oneLine(f.Symptom),
		"Error":      oneLine(f.Error),
		"Device":     oneLine(f.Device),
		"Resolution": strings.TrimSpace(f.Resolution),
		"Steps":      nonEmpty(f.Steps),
		"Handoff":    quoteLines(f.Handoff),
	}
	if err := draftBody.Execute(&body, data); err != nil {
		return Draft{}, fmt.Errorf("kb: draft from ticket #%d: %w", f.Number, err)
	}
	md := "---\n" + head + "---\n" + strings.TrimSpace(body.String()) + "\n"
	return Draft{ID: id, Markdown: md}, nil
}

// draftBody is the article body of a draft. LLM-assisted drafting will
// replace it; the shape (symptoms, fix, what did not help) stays.
var draftBody = template.Must(template.New("draft").Parse(`
{{.Marker}} written from ticket #{{.Number}}. Review it: check every step works for anyone; remove names, contacts, device tags and internal details; then delete this line and save with /kbedit. -->

## Symptoms
{{- if .Symptom}}
- {{.Symptom}}
{{- end}}
{{- if .Error}}
- The error message says: "{{.Error}}"
{{- end}}
{{- if .Device}}
- Seen on: {{.Device}}
{{- end}}
{{- if not (or .Symptom .Error .Device)}}
- (describe what the person sees)
{{- end}}

## How to fix it
{{if .Resolution}}{{.Resolution}}{{else}}(write what fixed it, one step per line){{end}}
{{- if .Steps}}

## What did not help
These were tried first and did not fix it:
{{range .Steps}}
- {{.}}
{{- end}}
{{- end}}
{{- if .Handoff}}

## Notes from the help desk
{{- range .Handoff}}

{{.}}
{{- end}}
{{- end}}

## If that didn't work
Contact the help desk and mention this article (ticket #{{.Number}}).
`))

// frontMatterYAML renders the front matter with tags as a flow list, the
// way the built-in articles write it, quoting values only where YAML needs.
func frontMatterYAML(fm frontMatter) (string, error) {
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	tags := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, t := range fm.Tags {
		tags.Content = append(tags.Content, str(t))
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content,
		str("id"), str(fm.ID), str("title"), str(fm.Title), str("category"), str(fm.Category),
		str("tags"), tags, str("summary"), str(fm.Summary))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	// No folding: every key stays on one line, as ParseArticle's error
	// messages and agents editing in chat expect.
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// draftNoise are words, besides the analyzer's stop words, left out of
// IDs and tags.
var draftNoise = wordSet(`problem problems issue issues error errors`)

// contentWords returns the lower-case words of s that are not stop words
// or draftNoise.
func contentWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.ReplaceAll(w, "'", "")
		if w != "" && !stopWords[w] && !draftNoise[w] {
			out = append(out, w)
		}
	}
	return out
}

// slug joins the first words into an ID part like "vpn-drops". Words with
// letters outside ASCII are left out rather than mangled.
func slug(words []string) string {
	var parts []string
	n := 0
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
			continue
		}
		if len(parts) == maxSlugWords || n+len(w)+1 > maxSlugLen {
			break
		}
		parts = append(parts, w)
		n += len(w) + 1
	}
	return strings.Join(parts, "-")
}

// tagsFrom returns the category and the first distinct content words.
func tagsFrom(category string, words []string) []string {
	var tags []string
	if category != DefaultCategory {
		tags = append(tags, category)
	}
	for _, w := range words {
		if len(tags) == 6 {
			break
		}
		if len(w) > 1 && !contains(tags, w) {
			tags = append(tags, w)
		}
	}
	return tags
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// cut shortens s to at most max runes at a word boundary, with an ellipsis.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := string([]rune(s)[:max-1])
	if i := strings.LastIndexByte(r, ' '); i > max/2 {
		r = r[:i]
	}
	return strings.TrimRight(r, " ,;:") + "…"
}

// nonEmpty returns the trimmed non-empty items of list, each on one line.
func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = oneLine(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// quoteLines turns each note into a markdown quote block, so a multi-line
// handoff note keeps its lines and cannot start a heading or front matter.
func quoteLines(notes []string) []string {
	var out []string
	for _, n := range notes {
		n = strings.TrimSpace(strings.ReplaceAll(n, "\r\n", "\n"))
		if n == "" {
			continue
		}
		lines := strings.Split(n, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight("> "+l, " ")
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}
