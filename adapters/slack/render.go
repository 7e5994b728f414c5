package slack

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Slack's limits, in characters.
const (
	maxSectionText  = 3000  // one section block's text
	maxFallbackText = 3000  // the notification text beside the blocks
	maxBlocks       = 50    // blocks in one message
	maxButtonLabel  = 75    // a button's text
	maxButtonValue  = 2000  // a button's value
	maxButtons      = 25    // elements in one actions block
	maxModalTitle   = 24    // a modal's title and button labels
	maxMessageText  = 40000 // a message's text, which Slack truncates beyond
	// maxBlockText is the block text one message carries. Slack refuses
	// a message near 12,000 characters of it with msg_blocks_too_long
	// (undocumented; reported at 12-13k), so a longer reply is paged.
	maxBlockText = 11000
	// maxPages bounds the messages one reply is paged into; what is left
	// is cut and marked.
	maxPages = 10
)

// shortened marks text cut to fit.
const shortened = "\n(message shortened)"

// escape makes text inert in a Slack message: &, < and > are the only
// characters Slack reads as markup (mentions like <!channel> and <@U1>,
// links), so replacing them is enough. The bot's text is posted as
// plain_text sections, which format nothing else.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// markup matches Slack's inbound control sequences: <@U1>, <#C1|name>,
// <!here>, <https://x|label>.
var markup = regexp.MustCompile(`<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>`)

// plain turns a Slack message's text into what the person typed: mentions
// and links as readable text, entities decoded.
func plain(s string) string {
	s = markup.ReplaceAllStringFunc(s, func(m string) string {
		p := markup.FindStringSubmatch(m)
		sigil, target, label := p[1], p[2], p[3]
		switch sigil {
		case "@":
			if label != "" {
				return "@" + label
			}
			return "@" + target
		case "#":
			if label != "" {
				return "#" + label
			}
			return "#" + target
		case "!":
			if label != "" {
				return label
			}
			return "@" + strings.SplitN(target, "^", 2)[0]
		}
		if label != "" && label != target {
			return label + " (" + target + ")"
		}
		return target
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// leadingMention matches the bot mention that starts an app_mention.
var leadingMention = regexp.MustCompile(`^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s:,]*`)

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// escapedLen is the length in characters of escape(s).
func escapedLen(s string) int {
	return utf8.RuneCountInString(s) + 4*strings.Count(s, "&") + 3*strings.Count(s, "<") + 3*strings.Count(s, ">")
}

// truncateEscaped cuts raw text so that, escaped, it has at most n
// characters, marking the cut. Text is cut before it is escaped, so an
// entity such as &amp; is never split.
func truncateEscaped(s string, n int) string {
	if escapedLen(s) <= n {
		return escape(s)
	}
	head, _ := cut(s, n-1, false)
	return escape(head) + "…"
}

// cut splits raw text into the longest head whose escaped form has at most
// n characters, and the rest. With atBreak it ends the head at a
// paragraph, line or word break when there is one in its second half.
func cut(s string, n int, atBreak bool) (head, rest string) {
	if escapedLen(s) <= n {
		return s, ""
	}
	size, end := 0, 0
	for i, r := range s {
		w := 1
		switch r {
		case '&':
			w = 5
		case '<', '>':
			w = 4
		}
		if size+w > n {
			break
		}
		size += w
		end = i + utf8.RuneLen(r)
	}
	if end == 0 { // n too small for even one character: take one anyway
		_, w := utf8.DecodeRuneInString(s)
		end = w
	}
	if atBreak {
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(s[:end], sep); i > 0 && i >= end/2 {
				return s[:i+len(sep)], s[i+len(sep):]
			}
		}
	}
	return s[:end], s[end:]
}

// chunks splits raw text into pieces whose escaped form has at most n
// characters, at a paragraph, line or word break when there is one in the
// second half of the piece.
func chunks(s string, n int) []string {
	var out []string
	for escapedLen(s) > n {
		head, rest := cut(s, n, true)
		out = append(out, strings.TrimRight(head, "\n "))
		s = rest
	}
	if strings.TrimSpace(s) != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// actionSep separates a button's action from its position in action_id:
// Slack wants action_ids unique in a block, and a message may offer the
// same action twice (two KB articles each with "This fixed it").
const actionSep = "#"

// actionName is the core's action name in a Slack action_id.
func actionName(actionID string) string {
	name, _, _ := strings.Cut(actionID, actionSep)
	return name
}

// page is one message of a reply: its blocks and its notification text.
type page struct {
	blocks []slack.Block
	text   string
}

// pages renders a reply as the messages to post, each within Slack's
// limits: at most budget characters of block text (maxBlockText, less
// after a msg_blocks_too_long), sections of at most maxSectionText, the
// buttons on the last one, at most limit messages (the last cut and
// marked). Text is cut before it is escaped.
func pages(text string, buttons []tickets.Button, budget, limit int) []page {
	for _, b := range buttons {
		budget -= escapedLen(b.Label)
	}
	budget = max(budget, 2*len(shortened))
	parts := chunks(text, budget)
	if len(parts) > limit {
		parts = parts[:limit]
		last, _ := cut(parts[limit-1], budget-len(shortened), true)
		parts[limit-1] = strings.TrimRight(last, "\n ") + shortened
	}
	out := make([]page, len(parts))
	for n, part := range parts {
		out[n] = page{blocks: sections(part), text: truncateEscaped(part, maxFallbackText)}
	}
	if len(buttons) > 0 {
		last := &out[len(out)-1]
		last.blocks = append(last.blocks, actions(buttons))
	}
	return out
}

// blocks renders a reply as one message (an edit in place, a
// response_url answer): its first page, cut and marked when there is more.
func blocks(text string, buttons []tickets.Button) []slack.Block {
	return pages(text, buttons, maxBlockText, 1)[0].blocks
}

// sections renders raw text as plain_text sections of Slack's size.
func sections(text string) []slack.Block {
	var out []slack.Block
	for i, p := range chunks(text, maxSectionText) {
		if strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, slack.NewSectionBlock(slack.NewTextBlockObject(slack.PlainTextType, escape(p), false, false), nil, nil, slack.SectionBlockOptionBlockID(fmt.Sprintf("text%d", i))))
	}
	return out
}

// actions renders the buttons as one actions block.
func actions(buttons []tickets.Button) slack.Block {
	var els []slack.BlockElement
	for i, b := range buttons {
		if i == maxButtons {
			break
		}
		btn := slack.NewButtonBlockElement(fmt.Sprintf("%s%s%d", b.Action, actionSep, i), truncate(b.Value, maxButtonValue),
			slack.NewTextBlockObject(slack.PlainTextType, truncateEscaped(b.Label, maxButtonLabel), false, false))
		if b.Action == "resolve" || b.Action == "kb_fixed" {
			btn = btn.WithStyle(slack.StylePrimary)
		}
		els = append(els, btn)
	}
	return slack.NewActionBlock("actions", els...)
}

// pageOptions are the chat.postMessage / chat.update options for one page:
// the blocks, and the escaped text Slack shows in notifications.
func pageOptions(p page) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(p.text, false),
		slack.MsgOptionBlocks(p.blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
}
