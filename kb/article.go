// Package kb is the help desk's knowledge base: articles loaded from markdown
// files with YAML front matter (built in, or from a directory named in
// config), and a fast ranked search over them used to offer self-service
// fixes before a ticket is opened.
package kb

import (
	"strings"
	"unicode/utf8"
)

// Article is one knowledge-base article.
type Article struct {
	ID       string
	Title    string
	Category string // account, mfa, hardware, software, network, email, printing, access or other
	// Summary is the one line shown in chat. If the front matter has none,
	// it is the first sentence of the body.
	Summary string
	Tags    []string
	Body    string // markdown body without front matter
	Source  string // file path or "builtin:<name>", for messages
}

// categories lists the valid values of Article.Category.
var categories = []string{"account", "mfa", "hardware", "software", "network", "email", "printing", "access", "other"}

// DefaultCategory is the category of an article whose front matter has none.
const DefaultCategory = "other"

// maxSummary is the longest derived summary, in runes.
const maxSummary = 200

// validCategory reports whether c is one of categories.
func validCategory(c string) bool {
	for _, v := range categories {
		if c == v {
			return true
		}
	}
	return false
}

// FirstSentence returns the first sentence of a markdown body as plain text:
// headings, code blocks, list markers, emphasis and link targets are skipped,
// and the result is cut to about 200 characters.
func FirstSentence(body string) string {
	para := firstParagraph(body)
	end := len(para)
	for i := 0; i < len(para); i++ {
		c := para[i]
		if (c == '.' || c == '!' || c == '?') && (i+1 == len(para) || para[i+1] == ' ') {
			end = i + 1
			break
		}
	}
	s := para[:end]
	if utf8.RuneCountInString(s) > maxSummary {
		r := []rune(s)[:maxSummary]
		cut := strings.LastIndexByte(string(r), ' ')
		if cut < maxSummary/2 {
			cut = len(string(r))
		}
		s = strings.TrimRight(string(r)[:cut], " ,;:") + "…"
	}
	return s
}

// firstParagraph returns the first paragraph of prose in a markdown body,
// joined into one line with markdown syntax removed.
func firstParagraph(body string) string {
	var words []string
	inFence := false
	for line := range strings.SplitSeq(body, "\n") { // lazily: only the first paragraph is read
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "|") ||
			strings.HasPrefix(t, "---") || strings.HasPrefix(t, "<!--") {
			if len(words) > 0 {
				break
			}
			continue
		}
		t = strings.TrimLeft(t, ">-*+ ")
		t = trimOrderedMarker(t)
		words = append(words, strings.Fields(stripInline(t))...)
	}
	return strings.Join(words, " ")
}

// trimOrderedMarker removes a leading "1. " or "2) " list marker.
func trimOrderedMarker(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' {
		return s[i+2:]
	}
	return s
}

// stripInline removes inline markdown: emphasis and code markers, images,
// and link targets ("[text](url)" becomes "text").
func stripInline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*', '_', '`':
			// Keep underscores inside words (snake_case names).
			if c == '_' && i > 0 && i+1 < len(s) && isAlnum(s[i-1]) && isAlnum(s[i+1]) {
				b.WriteByte(c)
			}
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				continue
			}
			b.WriteByte(c)
		case '[', ']':
			if c == ']' && i+1 < len(s) && s[i+1] == '(' {
				if j := strings.IndexByte(s[i:], ')'); j > 0 {
					i += j
				}
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
