package config

import (
	"fmt"
	"math"
	"regexp"
	"time"

	slackadapter "github.com/helpdesk-bot/helpdesk/adapters/slack"
)

// slackSection is the slack: section of the config file.
type slackSection struct {
	SocketMode   *bool    `yaml:"socket_mode"`
	HelpChannels []string `yaml:"help_channels"`
	DirectoryTTL string   `yaml:"directory_ttl"`
	// Pacing of the calls that post, under Slack's documented limits.
	PostsPerSecond   *float64 `yaml:"posts_per_second"`
	PostBurst        *int     `yaml:"post_burst"`
	UpdatesPerMinute *float64 `yaml:"updates_per_minute"`
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
	// PostsPerSecond and PostBurst pace posts per channel, and
	// UpdatesPerMinute message edits, before Slack would answer 429.
	PostsPerSecond   float64
	PostBurst        int
	UpdatesPerMinute float64
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
	s.PostsPerSecond, s.PostBurst, s.UpdatesPerMinute = slackadapter.DefaultPostsPerSecond, slackadapter.DefaultPostBurst, slackadapter.DefaultUpdatesPerMinute
	if c.PostsPerSecond != nil {
		if s.PostsPerSecond = *c.PostsPerSecond; !(s.PostsPerSecond > 0) || math.IsInf(s.PostsPerSecond, 1) { // NaN and infinity too
			return s, fmt.Errorf("slack.posts_per_second: %v is not a rate; write how many posts a second each channel may get, like 1 (Slack's documented limit)", *c.PostsPerSecond)
		}
	}
	if c.PostBurst != nil {
		if s.PostBurst = *c.PostBurst; s.PostBurst < 1 {
			return s, fmt.Errorf("slack.post_burst: %d is too small; write how many posts may go to one channel at once, at least 1, like 3", *c.PostBurst)
		}
	}
	if c.UpdatesPerMinute != nil {
		if s.UpdatesPerMinute = *c.UpdatesPerMinute; !(s.UpdatesPerMinute > 0) || math.IsInf(s.UpdatesPerMinute, 1) {
			return s, fmt.Errorf("slack.updates_per_minute: %v is not a rate; write how many message edits a minute the workspace may get, like 50 (Slack's Tier 3)", *c.UpdatesPerMinute)
		}
	}
	return s, nil
}
