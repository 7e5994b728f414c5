package main

import (
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

func slackEnv(vars map[string]string) env {
	return env{now: time.Now, getenv: func(k string) string { return vars[k] }}
}

func TestStartSlackTokens(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := startSlack(cfg, slackEnv(nil), deps{}); p != nil || err != nil {
		t.Fatalf("without SLACK_BOT_TOKEN: %v, %v; want nothing", p, err)
	}
	cfg.Chats = []string{"slack"} // as config.LoadEnv says with SLACK_BOT_TOKEN set
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
