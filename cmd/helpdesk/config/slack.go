package config

import (
	"fmt"
	"regexp"
	"time"
)

// slackSection is the slack: section of the config file.
type slackSection struct {
	SocketMode   *bool    `yaml:"socket_mode"`
	HelpChannels []string `yaml:"help_channels"`
	DirectoryTTL string   `yaml:"directory_ttl"`
}

// Slack is the resolved slack: section. The tokens are not here: they are
// read from the environment only.
type Slack struct {
	// SocketMode connects out to Slack (no public URL); false serves the
	// HTTP Events API on http.addr.
	SocketMode bool
	// HelpChannels are channel IDs where every new post is a report.
	HelpChannels []string
	// DirectoryTTL is how long profiles and user group members are cached.
	DirectoryTTL time.Duration
}

// slackChannelID is what a Slack channel ID looks like: C… public, G…
// private.
var slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)

// isSlackChannelID reports whether id looks like a Slack channel ID rather
// than a channel's name.
func isSlackChannelID(id string) bool { return slackChannelID.MatchString(id) }

func (c slackSection) resolve() (Slack, error) {
	s := Slack{SocketMode: true}
	if len(c.HelpChannels) > 0 {
		s.HelpChannels = c.HelpChannels
	}
	if c.SocketMode != nil {
		s.SocketMode = *c.SocketMode
	}
	for i, ch := range c.HelpChannels {
		if !isSlackChannelID(ch) {
			return s, fmt.Errorf("slack.help_channels[%d]: %q is not a channel ID; copy the ID (like C0123ABCD) from the channel's details in Slack, not its name", i, ch)
		}
	}
	var err error
	if s.DirectoryTTL, err = duration("slack.directory_ttl", c.DirectoryTTL, 10*time.Minute); err != nil {
		return s, err
	}
	return s, nil
}
