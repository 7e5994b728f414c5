package bot

import (
	"regexp"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Messages name commands the console way ("/status 12"). On Slack and
// Discord the bot has one slash command, so there the same command is typed
// "/helpdesk status 12": Config.CommandPrefix says so per platform, and
// every text on its way out is rewritten to match.

// commandMention finds "/name" for a command the bot knows, at the start of
// the text or after a space or opening punctuation, so paths and URLs
// ("C:/status", "https://x/help") are left alone.
var commandMention = regexp.MustCompile(`(^|[\s("'“‘\x60])/(help|new|status|mine|article|kb|cancel|start|reopen|queue|show|claim|reply|note|pending|resolve)\b`)

// localize rewrites command mentions in text for platform.
func (c *Config) localize(platform, text string) string {
	prefix := c.CommandPrefix[platform]
	if prefix == "" || !strings.Contains(text, "/") {
		return text
	}
	return commandMention.ReplaceAllString(text, "${1}"+prefix+"${2}")
}

// localizeReplies rewrites the command mentions of replies for platform.
func (c *Config) localizeReplies(platform string, rs []chat.Reply) []chat.Reply {
	if c.CommandPrefix[platform] == "" {
		return rs
	}
	for i := range rs {
		rs[i].Text = c.localize(platform, rs[i].Text)
	}
	return rs
}
