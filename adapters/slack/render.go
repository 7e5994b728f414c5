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
)

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

// chunks splits already escaped text into pieces of at most n characters,
// at a paragraph, line or word break when there is one in the second half
// of the piece, and never inside an entity such as &amp;.
func chunks(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		r := []rune(s)
		head := string(r[:n])
		cut := -1
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(head, sep); i >= len(head)/2 {
				cut = i + len(sep)
				break
			}
		}
		if cut < 0 {
			cut = len(head)
			// Back off an entity cut in half.
			if amp := strings.LastIndexByte(head, '&'); amp > 0 && amp > len(head)-5 && !strings.Contains(head[amp:], ";") {
				cut = amp
			}
		}
		out = append(out, strings.TrimRight(s[:cut], "\n "))
		s = s[cut:]
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

// blocks renders a message: the text as plain_text sections (split at
// Slack's section limit, truncated past its block limit) and the buttons
// as one actions block.
func blocks(text string, buttons []tickets.Button) []slack.Block {
	parts := chunks(escape(text), maxSectionText)
	room := maxBlocks
	if len(buttons) > 0 {
		room--
	}
	if len(parts) > room {
		parts = parts[:room]
		parts[room-1] = truncate(parts[room-1], maxSectionText-40) + "\n(message shortened)"
	}
	var out []slack.Block
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, slack.NewSectionBlock(slack.NewTextBlockObject(slack.PlainTextType, p, false, false), nil, nil, slack.SectionBlockOptionBlockID(fmt.Sprintf("text%d", i))))
	}
	if len(buttons) > 0 {
		var els []slack.BlockElement
		for i, b := range buttons {
			if i == maxButtons {
				break
			}
			btn := slack.NewButtonBlockElement(fmt.Sprintf("%s%s%d", b.Action, actionSep, i), truncate(b.Value, maxButtonValue),
				slack.NewTextBlockObject(slack.PlainTextType, truncate(escape(b.Label), maxButtonLabel), false, false))
			if b.Action == "resolve" || b.Action == "kb_fixed" {
				btn = btn.WithStyle(slack.StylePrimary)
			}
			els = append(els, btn)
		}
		out = append(out, slack.NewActionBlock("actions", els...))
	}
	return out
}

// msgOptions are the chat.postMessage / chat.update options for a message:
// the blocks, and the escaped text Slack shows in notifications.
func msgOptions(text string, buttons []tickets.Button) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(truncate(escape(text), maxFallbackText), false),
		slack.MsgOptionBlocks(blocks(text, buttons)...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
}

// webhookMessage is a message for a response_url.
func webhookMessage(text string, buttons []tickets.Button, ephemeral bool) *slack.WebhookMessage {
	bs := slack.Blocks{BlockSet: blocks(text, buttons)}
	m := &slack.WebhookMessage{Text: truncate(escape(text), maxFallbackText), Blocks: &bs, ResponseType: slack.ResponseTypeInChannel}
	if ephemeral {
		m.ResponseType = slack.ResponseTypeEphemeral
	}
	return m
}
