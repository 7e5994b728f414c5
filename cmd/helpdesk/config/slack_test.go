package config

import (
	"strings"
	"testing"
	"time"
)

func TestSlack(t *testing.T) {
	cfg, err := load(t, `
slack:
  socket_mode: false
  help_channels: [C0HELP1, G0PRIV2]
  directory_ttl: 1m
  posts_per_second: 0.5
  post_burst: 2
  updates_per_minute: 20
`)
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Slack; s.SocketMode || len(s.HelpChannels) != 2 || s.DirectoryTTL != time.Minute || s.PostsPerSecond != 0.5 || s.PostBurst != 2 || s.UpdatesPerMinute != 20 {
		t.Errorf("slack = %+v", s)
	}
	def, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if !def.Slack.SocketMode || def.Slack.DirectoryTTL != 10*time.Minute || def.Slack.PostsPerSecond != 1 || def.Slack.PostBurst != 3 || def.Slack.UpdatesPerMinute != 50 {
		t.Errorf("defaults = %+v", def.Slack)
	}
	slack := map[string]string{EnvSlackBotToken: "xoxb-1"}
	for _, c := range []struct {
		yaml string
		env  map[string]string
		want string
	}{
		{"slack:\n  help_channels: [general]\n", nil, `slack.help_channels[0]: "general" is not a channel ID`},
		{"slack:\n  directory_ttl: soon\n", nil, "slack.directory_ttl"},
		{"slack:\n  posts_per_second: 0\n", nil, "slack.posts_per_second: 0 is not a rate"},
		{"slack:\n  post_burst: 0\n", nil, "slack.post_burst: 0 is too small"},
		{"slack:\n  updates_per_minute: -5\n", nil, "slack.updates_per_minute: -5 is not a rate"},
		{"slack:\n  posts_per_second: fast\n", nil, "slack.posts_per_second"},
		{"slack:\n  posts_per_second: .nan\n", nil, "slack.posts_per_second: NaN is not a rate"},
		{"slack:\n  updates_per_minute: .inf\n", nil, "slack.updates_per_minute: +Inf is not a rate"},
		{"triage: {platform: slack, channel: triage}\n", slack, `triage.channel (line 1): "triage" is not a Slack channel ID`},
	} {
		if _, err := loadEnv(t, c.yaml, c.env); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
}
