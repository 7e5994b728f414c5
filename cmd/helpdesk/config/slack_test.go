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
`)
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Slack; s.SocketMode || len(s.HelpChannels) != 2 || s.DirectoryTTL != time.Minute {
		t.Errorf("slack = %+v", s)
	}
	def, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if !def.Slack.SocketMode || def.Slack.DirectoryTTL != 10*time.Minute {
		t.Errorf("defaults = %+v", def.Slack)
	}
	for yaml, want := range map[string]string{
		"slack:\n  help_channels: [general]\n":         `slack.help_channels[0]: "general" is not a channel ID`,
		"slack:\n  directory_ttl: soon\n":              "slack.directory_ttl",
		"triage: {platform: slack, channel: triage}\n": `triage.channel: "triage" is not a Slack channel ID`,
	} {
		if _, err := load(t, yaml); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", yaml, err, want)
		}
	}
}
