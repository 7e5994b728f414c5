// Package prompts holds the text the bot says to people, as templates, so
// wording can be reviewed and changed in one place without touching logic.
// LLM prompt templates will live here too.
package prompts

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"
)

//go:embed messages/*.tmpl
var files embed.FS

// Messages renders the user-facing message templates.
type Messages struct {
	t *template.Template
}

// In returns the templates with times ("when") shown on the clock of loc:
// times read back from a store are in UTC, and a desk's deadline shown in
// UTC reads off by its zone's offset.
func (m *Messages) In(loc *time.Location) (*Messages, error) {
	t, err := m.t.Clone()
	if err != nil {
		return nil, fmt.Errorf("prompts: clone: %w", err)
	}
	return &Messages{t: t.Funcs(template.FuncMap{"when": func(at time.Time) string { return when(at.In(loc)) }})}, nil
}

// Load parses the embedded message templates.
func Load() (*Messages, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(files, "messages/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("prompts: parse: %w", err)
	}
	return &Messages{t: t}, nil
}

// Render executes the named template with data.
func (m *Messages) Render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := m.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("prompts: render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("Mon 2 Jan 15:04")
}

var funcs = template.FuncMap{
	"when": when,
	"dur": func(d time.Duration) string {
		switch {
		case d <= 0:
			return "none"
		case d%(24*time.Hour) == 0:
			n := int(d / (24 * time.Hour))
			if n == 1 {
				return "1 day"
			}
			return fmt.Sprintf("%d days", n)
		case d%time.Hour == 0:
			n := int(d / time.Hour)
			if n == 1 {
				return "1 hour"
			}
			return fmt.Sprintf("%d hours", n)
		}
		return fmt.Sprintf("%d min", int(d/time.Minute))
	},
	"aList": aList,
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"join": strings.Join,
	// flag names a ticket flag in words: "identity verification required".
	"flag": func(s string) string { return strings.ReplaceAll(s, "-", " ") },
	// quote shows someone's words as a quote under a field: every line,
	// blank ones too, indented and marked, so nothing of it is lost.
	"quote": func(s string) string {
		return "    > " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    > ")
	},
}

// aList joins nouns with their articles: "a password and an API key".
func aList(nouns []string) string {
	out := make([]string, len(nouns))
	for i, n := range nouns {
		n = strings.Replace(n, "api ", "API ", 1)
		if strings.ContainsRune("aeiouAEIOU", rune(n[0])) {
			out[i] = "an " + n
		} else {
			out[i] = "a " + n
		}
	}
	switch len(out) {
	case 0:
		return "a secret"
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
