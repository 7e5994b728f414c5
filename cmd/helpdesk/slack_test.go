package main

import (
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func slackEnv(vars map[string]string) env {
	return env{now: time.Now, getenv: func(k string) string { return vars[k] }}
}

func TestSlackConfig(t *testing.T) {
	cfg, err := loadConfig(writeFile(t, "c.yaml", `
slack:
  socket_mode: false
  help_channels: [C0HELP1, G0PRIV2]
  directory_ttl: 1m
`))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Slack; s.SocketMode || len(s.HelpChannels) != 2 || s.DirectoryTTL != time.Minute {
		t.Errorf("slack = %+v", s)
	}
	def, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if !def.Slack.SocketMode || def.Slack.DirectoryTTL != 10*time.Minute {
		t.Errorf("defaults = %+v", def.Slack)
	}
	for yaml, want := range map[string]string{
		"slack:\n  help_channels: [general]\n": `slack.help_channels[0]: "general" is not a channel ID`,
		"slack:\n  directory_ttl: soon\n":      "slack.directory_ttl",
	} {
		if _, err := loadConfig(writeFile(t, "bad.yaml", yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", yaml, err, want)
		}
	}
}

func TestStartSlackTokens(t *testing.T) {
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := startSlack(cfg, slackEnv(nil), deps{}); p != nil || err != nil {
		t.Fatalf("without SLACK_BOT_TOKEN: %v, %v; want nothing", p, err)
	}
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN does not look like a bot token"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN does not look like an app-level token"},
	} {
		if _, err := startSlack(cfg, slackEnv(c.vars), deps{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.vars, err, c.want)
		}
	}
	httpCfg := cfg
	httpCfg.Slack.SocketMode = false
	if _, err := startSlack(httpCfg, slackEnv(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}), deps{}); err == nil || !strings.Contains(err.Error(), "SLACK_SIGNING_SECRET is not set") {
		t.Errorf("HTTP mode without a secret: %v", err)
	}
	bad := cfg
	bad.Bot.Triage = tickets.Place{Platform: "slack", ChannelID: "triage"}
	if _, err := startSlack(bad, slackEnv(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}), deps{}); err == nil || !strings.Contains(err.Error(), "triage.channel") {
		t.Errorf("triage by name: %v", err)
	}

	p, err := startSlack(httpCfg, slackEnv(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}), deps{})
	if err != nil || p == nil || p.name != "slack" || len(p.routes) != 3 {
		t.Fatalf("HTTP mode: %+v, %v", p, err)
	}
	for _, r := range []string{"POST /slack/events", "POST /slack/commands", "POST /slack/interactivity"} {
		if p.routes[r] == nil {
			t.Errorf("no route %s", r)
		}
	}
	p, err = startSlack(cfg, slackEnv(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}), deps{})
	if err != nil || p == nil || len(p.routes) != 0 || p.health() == nil {
		t.Errorf("socket mode: %+v, %v; want no routes and not connected yet", p, err)
	}
}
