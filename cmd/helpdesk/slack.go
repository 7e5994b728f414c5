package main

import (
	"fmt"
	"strings"

	slackadapter "github.com/helpdesk-bot/helpdesk/adapters/slack"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

// The Slack tokens come from the environment only, never from the config
// file: SLACK_BOT_TOKEN (xoxb-…) always, SLACK_APP_TOKEN (xapp-…) for
// Socket Mode, SLACK_SIGNING_SECRET for the HTTP Events API.
// SLACK_API_URL is for tests only: it points the Web API at a fake Slack.
const (
	envSlackBotToken = config.EnvSlackBotToken
	envSlackAppToken = config.EnvSlackAppToken
	envSlackSigning  = config.EnvSlackSigningSecret
	envSlackAPIURL   = "SLACK_API_URL"
)

// startSlack builds the Slack adapter when Slack runs (its bot token is
// set), and returns nil when it does not.
func startSlack(cfg config.Config, e env, d deps) (*platform, error) {
	if !cfg.Runs(slackadapter.Platform) {
		return nil, nil
	}
	s := cfg.Slack
	botToken, appToken, secret, err := slackTokens(s, e)
	if err != nil {
		return nil, err
	}
	var groups []string
	for _, a := range cfg.Bot.Agents {
		for _, g := range a.Groups {
			if id, ok := strings.CutPrefix(g, slackadapter.Platform+":"); ok {
				groups = append(groups, id)
			}
		}
	}
	opts := slackadapter.Options{
		BotToken: botToken, AppToken: appToken, SocketMode: s.SocketMode, SigningSecret: secret,
		APIURL:       e.env(envSlackAPIURL),
		Core:         d.core,
		Pool:         d.workers,
		Outbox:       d.store,
		OutboxWake:   d.wakeOutbox,
		IsAgent:      d.core.IsAgent,
		HelpChannels: s.HelpChannels,
		AgentGroups:  groups,
		DirectoryTTL: s.DirectoryTTL,
		Rates:        slackadapter.Rates(s.PostsPerSecond, s.PostBurst, s.UpdatesPerMinute),
		Logger:       d.log,
		Now:          d.now,
	}
	if d.inbox != nil { // a nil *chat.Inbox in the interface would not read as none
		opts.Inbox = d.inbox
	}
	if s.SocketMode { // in HTTP mode the routes are timed where they are served
		opts.SocketAcks = d.ackLatency(slackadapter.Platform, transportSocket)
	}
	ad, err := slackadapter.New(opts)
	if err != nil {
		return nil, err
	}
	p := &platform{name: slackadapter.Platform, sender: ad, run: ad.Run, health: ad.Health}
	if !s.SocketMode {
		p.routes = ad.Routes()
	}
	return p, nil
}

// slackTokens reads the Slack tokens from the environment and checks their
// form: the bot token always, the app-level token for Socket Mode, the
// signing secret for the HTTP Events API.
func slackTokens(s config.Slack, e env) (botToken, appToken, secret string, err error) {
	botToken = strings.TrimSpace(e.env(envSlackBotToken))
	if !strings.HasPrefix(botToken, "xoxb-") {
		return "", "", "", fmt.Errorf("%s does not look like a bot token (it should start with xoxb-); copy the Bot User OAuth Token from your Slack app's OAuth & Permissions page", envSlackBotToken)
	}
	appToken = strings.TrimSpace(e.env(envSlackAppToken))
	secret = strings.TrimSpace(e.env(envSlackSigning))
	if s.SocketMode {
		if appToken == "" {
			return "", "", "", fmt.Errorf("%s is not set; Socket Mode needs the app-level token (xapp-…) with connections:write from your Slack app's Basic Information page, or set slack.socket_mode: false to use the HTTP Events API", envSlackAppToken)
		}
		if !strings.HasPrefix(appToken, "xapp-") {
			return "", "", "", fmt.Errorf("%s does not look like an app-level token (it should start with xapp-); generate one with the connections:write scope on your Slack app's Basic Information page", envSlackAppToken)
		}
	} else if secret == "" {
		return "", "", "", fmt.Errorf("%s is not set; the HTTP Events API (slack.socket_mode: false) needs the signing secret from your Slack app's Basic Information page", envSlackSigning)
	}
	return botToken, appToken, secret, nil
}
