package discord

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// snowflakeID is what a Discord user ID looks like; anything else in a
// message's mentions is left out rather than written into its content.
var snowflakeID = regexp.MustCompile(`^[0-9]{1,20}$`)

// mentionSend is a short message before one that mentions users: their
// mentions, allowed to notify those users and nobody else (every other
// message the bot posts allows no mention at all). nil when no ID is
// valid.
func mentionSend(ids []string) *discordgo.MessageSend {
	var users, at []string
	for _, id := range ids {
		if snowflakeID.MatchString(id) {
			users, at = append(users, id), append(at, "<@"+id+">")
		}
	}
	if len(users) == 0 {
		return nil
	}
	return &discordgo.MessageSend{Content: strings.Join(at, " "), AllowedMentions: &discordgo.MessageAllowedMentions{Users: users}}
}
