package slack

import (
	"context"
	"slices"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
)

// Diagnose against the fake Slack, in each way an installation goes
// wrong: every failure says what failed and what to do.
func TestDiagnose(t *testing.T) {
	all, err := Scopes()
	if err != nil || len(all) != 10 {
		t.Fatalf("Scopes() = %v, %v", all, err)
	}
	channels := []Channel{{"CTRIAGE", "triage.channel"}, {"CHELP", "slack.help_channels[0]"}}
	for _, c := range []struct {
		name string
		// workspace shapes the fake before it starts (its scopes and
		// channels); setup scripts its faults and the options.
		workspace func(w *slackfake.Options)
		setup     func(f *fakeSlack, o *DiagnoseOptions)
		// want is, per check name, its status and words its detail or fix
		// must have.
		want map[string]chattest.Want
	}{
		// slackfake's own scopes: all good, the manifest's ten.
		{"all good", nil, nil, map[string]chattest.Want{
			"slack bot token":                              chattest.W(chat.CheckOK, "@helpdesk (UBOT) in Acme"),
			"slack scopes":                                 chattest.W(chat.CheckOK, "all 10 scopes"),
			"slack app token":                              chattest.W(chat.CheckOK, "Socket Mode can connect"),
			"slack channel CTRIAGE (triage.channel)":       chattest.W(chat.CheckOK, "member"),
			"slack channel CHELP (slack.help_channels[0])": chattest.W(chat.CheckOK, "member"),
		}},
		{"revoked token", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			f.Fail("auth.test", 1, slackfake.Fault{Error: "token_revoked"})
		}, map[string]chattest.Want{
			"slack bot token": chattest.W(chat.CheckFail, "no longer works (token_revoked)", "Reinstall to Workspace", "SLACK_BOT_TOKEN"),
			"slack channels":  chattest.W(chat.CheckWarn, "not checked"),
		}},
		{"wrong token", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			f.Fail("auth.test", 1, slackfake.Fault{Error: "invalid_auth"})
		}, map[string]chattest.Want{
			"slack bot token": chattest.W(chat.CheckFail, "refused SLACK_BOT_TOKEN (invalid_auth)", "OAuth & Permissions"),
		}},
		{"missing scope", func(w *slackfake.Options) {
			w.Scopes = slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "users:read.email" || s == "chat:write" })
		}, nil, map[string]chattest.Want{
			"slack bot token": chattest.W(chat.CheckOK),
			"slack scopes":    chattest.W(chat.CheckFail, "lacks chat:write, users:read.email", "reinstall the app"),
		}},
		{"bot not in the channel", func(w *slackfake.Options) {
			w.Channels["CTRIAGE"] = false
		}, func(f *fakeSlack, o *DiagnoseOptions) {
			o.Channels = append(o.Channels, Channel{"CGONE", "teams[0].channel"})
		}, map[string]chattest.Want{
			"slack channel CTRIAGE (triage.channel)":       chattest.W(chat.CheckFail, "not a member of CTRIAGE", "/invite @helpdesk"),
			"slack channel CGONE (teams[0].channel)":       chattest.W(chat.CheckFail, "does not exist", "Channel ID", "teams[0].channel"),
			"slack channel CHELP (slack.help_channels[0])": chattest.W(chat.CheckOK),
		}},
		{"app token refused", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			f.Fail("apps.connections.open", 1, slackfake.Fault{Error: "invalid_auth"})
		}, map[string]chattest.Want{
			"slack app token": chattest.W(chat.CheckFail, "SLACK_APP_TOKEN", "connections:write"),
		}},
		{"Slack down", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			f.Fail("auth.test", 1, slackfake.Fault{Status: 503})
		}, map[string]chattest.Want{
			"slack bot token": chattest.W(chat.CheckFail, "Slack answered 503", "slack-status.com"),
		}},
		{"Slack unreachable", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			o.APIURL = "http://127.0.0.1:1/api/"
		}, map[string]chattest.Want{
			"slack bot token": chattest.W(chat.CheckFail, "cannot reach Slack", "HTTPS"),
		}},
		{"HTTP mode without a secret", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			o.SocketMode, o.SigningSecret = false, ""
		}, map[string]chattest.Want{
			"slack signing secret": chattest.W(chat.CheckFail, "SLACK_SIGNING_SECRET is not set", "Basic Information"),
		}},
		{"HTTP mode", nil, func(f *fakeSlack, o *DiagnoseOptions) {
			o.SocketMode = false
		}, map[string]chattest.Want{
			"slack signing secret": chattest.W(chat.CheckOK),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := slackfake.Options{Channels: map[string]bool{"CTRIAGE": true, "CHELP": true}}
			if c.workspace != nil {
				c.workspace(&w)
			}
			f := newFakeSlack(t, w)
			o := DiagnoseOptions{BotToken: "xoxb-1", AppToken: "xapp-1", SigningSecret: "s", SocketMode: true, APIURL: f.APIURL(), Channels: channels}
			if c.setup != nil {
				c.setup(f, &o)
			}
			chattest.ExpectChecks(t, Diagnose(context.Background(), o), c.want)
		})
	}
}
