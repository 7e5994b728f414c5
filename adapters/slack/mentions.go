package slack

import (
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// slackUserID is what a user ID looks like; anything else in a message's
// mentions is left out rather than written into its markup.
var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// withMentions are the chat.postMessage options of a message that mentions
// users: a first section with their mentions (markup Slack notifies them
// of; the message's own text stays escaped), then the message. Without a
// valid ID it is msgOptions.
func withMentions(ids []string, text string, buttons []tickets.Button) []slack.MsgOption {
	var at []string
	for _, id := range ids {
		if slackUserID.MatchString(id) {
			at = append(at, "<@"+id+">")
		}
	}
	if len(at) == 0 {
		return msgOptions(text, buttons)
	}
	who := strings.Join(at, " ")
	bs := append([]slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, who, false, false), nil, nil, slack.SectionBlockOptionBlockID("mentions"))},
		blocks(text, buttons)...)
	if len(bs) > maxBlocks {
		bs = bs[:maxBlocks]
	}
	return []slack.MsgOption{
		slack.MsgOptionText(truncate(who+" "+escape(text), maxFallbackText), false),
		slack.MsgOptionBlocks(bs...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
}
