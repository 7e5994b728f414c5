package slack

import (
	"regexp"
	"strings"

	"github.com/slack-go/slack"
)

// slackUserID is what a user ID looks like; anything else in a message's
// mentions is left out rather than written into its markup.
var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// withMentions adds the mentions of users to the first page of a message:
// a first section with their mentions (markup Slack notifies them of; the
// message's own text stays escaped), then the page. Without a valid ID
// the page is as it was.
func withMentions(ids []string, p page) page {
	var at []string
	for _, id := range ids {
		if slackUserID.MatchString(id) {
			at = append(at, "<@"+id+">")
		}
	}
	if len(at) == 0 {
		return p
	}
	who := strings.Join(at, " ")
	bs := append([]slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, who, false, false), nil, nil, slack.SectionBlockOptionBlockID("mentions"))},
		p.blocks...)
	if len(bs) > maxBlocks {
		bs = bs[:maxBlocks]
	}
	return page{blocks: bs, text: who + " " + p.text} // the mentions are short; Slack takes 40,000 characters of text
}
