package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// chatNames are how errors name the chats.
var chatNames = map[string]string{"console": "the console", "slack": "Slack", "discord": "Discord"}

// resolveTriage is where new tickets are announced. The platform defaults
// to the chat that runs, so the example config starts every platform; the
// channel defaults to "triage" in the console, and on Slack and Discord
// must be a channel's ID. An error names the line to change.
func (f file) resolveTriage(chats []string) (tickets.Place, error) {
	p := tickets.Place{Platform: strings.ToLower(strings.TrimSpace(f.Triage.Platform)), ChannelID: strings.TrimSpace(f.Triage.Channel)}
	platformKey, channelKey := f.at("triage.platform"), f.at("triage.channel")
	switch {
	case p.Platform == "" && len(chats) == 1:
		p.Platform = chats[0]
	case p.Platform == "":
		return p, fmt.Errorf("%s: Slack and Discord both run here; say which one's channel gets new tickets: platform: slack or platform: discord", platformKey)
	case chatNames[p.Platform] == "":
		return p, fmt.Errorf("%s: %q is not a chat; write slack, discord or console, or leave it empty for the chat that runs", platformKey, f.Triage.Platform)
	case !slices.Contains(chats, p.Platform):
		return p, fmt.Errorf("%s: %q, but %s does not run here: %s. %s", platformKey, p.Platform, chatNames[p.Platform], running(chats), notRunningFix(p.Platform, chats))
	}
	switch p.Platform {
	case "console":
		if p.ChannelID == "" {
			p.ChannelID = "triage"
		}
	case "slack":
		if p.ChannelID == "" {
			return p, fmt.Errorf("%s: not set; on Slack new tickets go to a channel of your choosing: write its ID there, like channel: C0123ABCD (in Slack, the channel's name → About → Channel ID), and invite the bot to that channel", channelKey)
		}
		if !isSlackChannelID(p.ChannelID) {
			return p, fmt.Errorf("%s: %q is not a Slack channel ID; copy the ID (like C0123ABCD) from the channel's details in Slack", channelKey, p.ChannelID)
		}
	case "discord":
		if p.ChannelID == "" {
			return p, fmt.Errorf("%s: not set; on Discord new tickets go to a channel of your choosing: write its ID there (turn on Developer Mode under User Settings → Advanced, then Copy Channel ID)", channelKey)
		}
		if !IsDiscordID(p.ChannelID) {
			return p, fmt.Errorf("%s: %q is not a Discord channel ID; turn on Developer Mode in Discord (User Settings → Advanced) and use Copy Channel ID", channelKey, p.ChannelID)
		}
	}
	return p, nil
}

// running says which chats run and why, in an error's words.
func running(chats []string) string {
	switch {
	case slices.Equal(chats, []string{"console"}):
		return "the console is the chat, as neither " + EnvSlackBotToken + " nor " + EnvDiscordBotToken + " is set"
	case len(chats) == 2:
		return "Slack and Discord run (" + EnvSlackBotToken + " and " + EnvDiscordBotToken + " are set)"
	case chats[0] == "slack":
		return "Slack runs (" + EnvSlackBotToken + " is set)"
	default:
		return "Discord runs (" + EnvDiscordBotToken + " is set)"
	}
}

// notRunningFix says what to change when triage names a chat that does not
// run.
func notRunningFix(platform string, chats []string) string {
	switch platform {
	case "slack":
		return "Set " + EnvSlackBotToken + " (see the README, \"Slack\"), or delete the line to use the chat that runs"
	case "discord":
		return "Set " + EnvDiscordBotToken + " (see the README, \"Discord\"), or delete the line to use the chat that runs"
	}
	to := "platform: " + chats[0]
	if len(chats) == 2 {
		to = "platform: slack or platform: discord"
	}
	return "Change the line to " + to + " (or delete it: the chat that runs is the default) and set triage.channel to that chat's channel ID"
}

// onLine puts first the line of the setting a check of resolve blames,
// "line 12: llm.budget: …", as decode's errors name it, when the setting
// was read from the file: resolve works on decoded values, which have no
// line of their own.
func (f file) onLine(err error) error {
	msg, key := err.Error(), ""
	for k := range f.lines {
		if len(k) > len(key) && strings.HasPrefix(msg, k+":") {
			key = k
		}
	}
	if key == "" {
		return err
	}
	return fmt.Errorf("line %d: %w", f.lines[key], err)
}

// at names a key for an error, with its line in the file when it was read
// from one: "triage.platform (line 72)".
func (f file) at(key string) string {
	if line, ok := f.lines[key]; ok {
		return fmt.Sprintf("%s (line %d)", key, line)
	}
	return key
}
