package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"regexp"
)

// discordSection is the discord: section of the config file.
type discordSection struct {
	ApplicationID    string   `yaml:"application_id"`
	PublicKey        string   `yaml:"public_key"`
	Guilds           []string `yaml:"guilds"`
	HelpChannels     []string `yaml:"help_channels"`
	ShardID          int      `yaml:"shard_id"`
	ShardCount       int      `yaml:"shard_count"`
	HTTPInteractions bool     `yaml:"http_interactions"`
}

// Discord is the resolved discord: section. The bot token is not here: it
// is read from the environment only.
type Discord struct {
	ApplicationID string
	// PublicKey verifies the requests of the HTTP interactions endpoint.
	PublicKey ed25519.PublicKey
	// Guilds are the servers commands are registered in; none registers
	// them globally.
	Guilds []string
	// HelpChannels are channel IDs where every message is a report.
	HelpChannels []string
	// ShardID is this process's shard of ShardCount.
	ShardID    int
	ShardCount int
	// HTTPInteractions receives interactions at POST /discord/interactions
	// instead of over the gateway.
	HTTPInteractions bool
}

// snowflake is a Discord ID: a decimal number.
var snowflake = regexp.MustCompile(`^[0-9]{5,20}$`)

// IsDiscordID reports whether id looks like a Discord ID (a snowflake): an
// application, server, channel or user.
func IsDiscordID(id string) bool { return snowflake.MatchString(id) }

func (c discordSection) resolve() (Discord, error) {
	s := Discord{ApplicationID: c.ApplicationID, ShardID: c.ShardID, ShardCount: c.ShardCount, HTTPInteractions: c.HTTPInteractions}
	if s.ApplicationID != "" && !IsDiscordID(s.ApplicationID) {
		return s, fmt.Errorf("discord.application_id: %q is not a Discord ID; copy the Application ID from the General Information page of your app at https://discord.com/developers/applications", c.ApplicationID)
	}
	for _, list := range []struct {
		key string
		in  []string
		out *[]string
	}{{"discord.guilds", c.Guilds, &s.Guilds}, {"discord.help_channels", c.HelpChannels, &s.HelpChannels}} {
		for i, id := range list.in {
			if !IsDiscordID(id) {
				return s, fmt.Errorf("%s[%d]: %q is not a Discord ID; turn on Developer Mode in Discord (User Settings → Advanced) and use Copy ID on the server or channel", list.key, i, id)
			}
			*list.out = append(*list.out, id)
		}
	}
	if s.ShardCount == 0 {
		s.ShardCount = 1
	}
	if s.ShardCount < 1 {
		return s, fmt.Errorf("discord.shard_count: %d is not a number of shards; use 1 (the default) or the total number of processes sharing the bot", c.ShardCount)
	}
	if s.ShardID < 0 || s.ShardID >= s.ShardCount {
		return s, fmt.Errorf("discord.shard_id: %d is out of range for shard_count %d; use 0 to %d, a different one in each process", c.ShardID, s.ShardCount, s.ShardCount-1)
	}
	if c.PublicKey != "" {
		key, err := hex.DecodeString(c.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return s, fmt.Errorf("discord.public_key: not a %d-character hex key; copy the Public Key from the General Information page of your app", 2*ed25519.PublicKeySize)
		}
		s.PublicKey = key
	}
	if s.HTTPInteractions && len(s.PublicKey) == 0 {
		return s, fmt.Errorf("discord.http_interactions: needs discord.public_key to verify Discord's signatures; set it, or turn http_interactions off to receive interactions over the gateway")
	}
	return s, nil
}
