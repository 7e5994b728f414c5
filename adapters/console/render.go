package console

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A terminal shows text as typed: the markdown of KB articles ("## Try this
// first", "**Allow**", "[site](https://…)") reads better as plain text, and
// buttons cannot be clicked, so each is numbered and says what to type.

var (
	mdHeading = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
	mdBold    = regexp.MustCompile(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)
	mdCode    = regexp.MustCompile("`([^`\n]+)`")
	mdLink    = regexp.MustCompile(`\[([^\]\n]+)\]\((\S+?)\)`)
	mdFence   = regexp.MustCompile("(?m)^```[a-zA-Z]*\\s*$\n?")
)

// plain turns the markdown a message may carry into text for a terminal:
// headings underlined, emphasis and code marks dropped, links as "text
// (address)". Lists and numbering read the same in both and stay.
func plain(text string) string {
	if !strings.ContainsAny(text, "#*_`[") {
		return text
	}
	text = mdFence.ReplaceAllString(text, "")
	text = mdHeading.ReplaceAllStringFunc(text, func(h string) string {
		title := mdHeading.FindStringSubmatch(h)[1]
		return title + "\n" + strings.Repeat("-", len([]rune(title)))
	})
	text = mdBold.ReplaceAllString(text, "$1$2")
	text = mdCode.ReplaceAllString(text, "$1")
	text = mdLink.ReplaceAllStringFunc(text, func(l string) string {
		m := mdLink.FindStringSubmatch(l)
		if m[1] == m[2] {
			return m[1]
		}
		return m[1] + " (" + m[2] + ")"
	})
	return text
}

// buttonLine shows buttons numbered, with what to type to press them.
func buttonLine(bs []tickets.Button) string {
	var b strings.Builder
	for i, btn := range bs {
		if i > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "[%d %s]", i+1, btn.Label)
	}
	b.WriteString("  — type /press and the number")
	if len(bs) > 0 && chat.IsKBAnswer(bs[0].Action) {
		b.WriteString(`, or answer "yes" or "no"`)
	}
	return b.String()
}
