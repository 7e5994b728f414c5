package slack

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
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
		name  string
		setup func(f *fakeSlack, o *DiagnoseOptions)
		// want is, per check name, its status and words its detail or fix
		// must have.
		want map[string]want
	}{
		{"all good", nil, map[string]want{
			"slack bot token":                              w(chat.CheckOK, "@helpdesk (UBOT) in Acme"),
			"slack scopes":                                 w(chat.CheckOK, "all 10 scopes"),
			"slack app token":                              w(chat.CheckOK, "Socket Mode can connect"),
			"slack channel CTRIAGE (triage.channel)":       w(chat.CheckOK, "member"),
			"slack channel CHELP (slack.help_channels[0])": w(chat.CheckOK, "member"),
		}},
		{"revoked token", func(f *fakeSlack, o *DiagnoseOptions) {
			f.fail("auth.test", 1, failure{status: 200, code: "token_revoked"})
		}, map[string]want{
			"slack bot token": w(chat.CheckFail, "no longer works (token_revoked)", "Reinstall to Workspace", "SLACK_BOT_TOKEN"),
			"slack channels":  w(chat.CheckWarn, "not checked"),
		}},
		{"wrong token", func(f *fakeSlack, o *DiagnoseOptions) {
			f.fail("auth.test", 1, failure{status: 200, code: "invalid_auth"})
		}, map[string]want{
			"slack bot token": w(chat.CheckFail, "refused SLACK_BOT_TOKEN (invalid_auth)", "OAuth & Permissions"),
		}},
		{"missing scope", func(f *fakeSlack, o *DiagnoseOptions) {
			f.scopes = slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "users:read.email" || s == "chat:write" })
		}, map[string]want{
			"slack bot token": w(chat.CheckOK),
			"slack scopes":    w(chat.CheckFail, "lacks chat:write, users:read.email", "reinstall the app"),
		}},
		{"bot not in the channel", func(f *fakeSlack, o *DiagnoseOptions) {
			f.members["CTRIAGE"] = false
			o.Channels = append(o.Channels, Channel{"CGONE", "teams[0].channel"})
		}, map[string]want{
			"slack channel CTRIAGE (triage.channel)":       w(chat.CheckFail, "not a member of CTRIAGE", "/invite @helpdesk"),
			"slack channel CGONE (teams[0].channel)":       w(chat.CheckFail, "does not exist", "Channel ID", "teams[0].channel"),
			"slack channel CHELP (slack.help_channels[0])": w(chat.CheckOK),
		}},
		{"app token refused", func(f *fakeSlack, o *DiagnoseOptions) {
			f.fail("apps.connections.open", 1, failure{status: 200, code: "invalid_auth"})
		}, map[string]want{
			"slack app token": w(chat.CheckFail, "SLACK_APP_TOKEN", "connections:write"),
		}},
		{"Slack down", func(f *fakeSlack, o *DiagnoseOptions) {
			f.fail("auth.test", 1, failure{status: 503})
		}, map[string]want{
			"slack bot token": w(chat.CheckFail, "Slack answered 503", "slack-status.com"),
		}},
		{"Slack unreachable", func(f *fakeSlack, o *DiagnoseOptions) {
			o.APIURL = "http://127.0.0.1:1/api/"
		}, map[string]want{
			"slack bot token": w(chat.CheckFail, "cannot reach Slack", "HTTPS"),
		}},
		{"HTTP mode without a secret", func(f *fakeSlack, o *DiagnoseOptions) {
			o.SocketMode, o.SigningSecret = false, ""
		}, map[string]want{
			"slack signing secret": w(chat.CheckFail, "SLACK_SIGNING_SECRET is not set", "Basic Information"),
		}},
		{"HTTP mode", func(f *fakeSlack, o *DiagnoseOptions) {
			o.SocketMode = false
		}, map[string]want{
			"slack signing secret": w(chat.CheckOK),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeSlack(t)
			f.members = map[string]bool{"CTRIAGE": true, "CHELP": true}
			o := DiagnoseOptions{BotToken: "xoxb-1", AppToken: "xapp-1", SigningSecret: "s", SocketMode: true, APIURL: f.APIURL(), Channels: channels}
			if c.setup != nil {
				c.setup(f, &o)
			}
			checkAll(t, Diagnose(context.Background(), o), c.want)
		})
	}
}

type want struct {
	status chat.CheckStatus
	words  []string
}

func w(status chat.CheckStatus, words ...string) want { return want{status, words} }

// checkAll finds each wanted check by name and compares it.
func checkAll(t *testing.T, got []chat.Check, wants map[string]want) {
	t.Helper()
	for name, w := range wants {
		i := slices.IndexFunc(got, func(c chat.Check) bool { return c.Name == name })
		if i < 0 {
			t.Errorf("no check %q in %+v", name, got)
			continue
		}
		c := got[i]
		if c.Status != w.status {
			t.Errorf("%s: status %d, want %d (%s; %s)", name, c.Status, w.status, c.Detail, c.Fix)
		}
		for _, word := range w.words {
			if !strings.Contains(c.Detail+" "+c.Fix, word) {
				t.Errorf("%s: %q does not say %q", name, c.Detail+" → "+c.Fix, word)
			}
		}
		if c.Status != chat.CheckOK && c.Fix == "" {
			t.Errorf("%s failed without saying what to do", name)
		}
	}
}
