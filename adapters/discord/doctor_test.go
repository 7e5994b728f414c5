package discord

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Diagnose against the fake Discord, in each way an installation goes
// wrong: every failure says what failed and what to do.
func TestDiagnose(t *testing.T) {
	type want struct {
		status chat.CheckStatus
		words  []string
	}
	w := func(s chat.CheckStatus, words ...string) want { return want{s, words} }
	for _, c := range []struct {
		name  string
		setup func(f *fakeDiscord, o *DiagnoseOptions)
		want  map[string]want
	}{
		{"all good", nil, map[string]want{
			"discord bot token":                              w(chat.CheckOK, "helpbot", fakeBotID),
			"discord application":                            w(chat.CheckOK, "Help Desk", fakeAppID),
			"discord message content intent":                 w(chat.CheckOK),
			"discord channel 300 (triage.channel)":           w(chat.CheckOK, "post"),
			"discord channel 200 (discord.help_channels[0])": w(chat.CheckOK),
		}},
		{"revoked token", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.addFault(&fault{method: "GET", path: "/users/@me", n: 1, status: 401, body: `{"message": "401: Unauthorized", "code": 0}`})
		}, map[string]want{
			"discord bot token": w(chat.CheckFail, "refused DISCORD_BOT_TOKEN (401", "Reset Token"),
			"discord channels":  w(chat.CheckWarn, "not checked"),
		}},
		{"intent off", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.appFlags = 0
		}, map[string]want{
			"discord message content intent": w(chat.CheckFail, "4014", "Privileged Gateway Intents", "Message Content Intent"),
		}},
		{"another application", func(f *fakeDiscord, o *DiagnoseOptions) {
			o.ApplicationID = "123456789"
		}, map[string]want{
			"discord application": w(chat.CheckFail, "discord.application_id is 123456789", `discord.application_id: "800"`),
		}},
		{"bot cannot post", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.everyone = discordgo.PermissionViewChannel | discordgo.PermissionReadMessageHistory
			f.channels[helpChannel] = fakeChannel{ID: helpChannel, GuildID: fakeGuild, Overwrites: []*discordgo.PermissionOverwrite{
				{ID: fakeGuild, Type: discordgo.PermissionOverwriteTypeRole, Allow: Permissions},
			}}
		}, map[string]want{
			"discord channel 300 (triage.channel)":           w(chat.CheckFail, "lacks Send Messages, Embed Links, Create Public Threads, Send Messages in Threads", "Permissions"),
			"discord channel 200 (discord.help_channels[0])": w(chat.CheckOK),
		}},
		{"unknown and hidden channels", func(f *fakeDiscord, o *DiagnoseOptions) {
			o.Channels = append(o.Channels, Channel{"999", "channels.manager.channel"}, Channel{"555", "teams[0].channel"})
			f.addFault(&fault{method: "GET", path: "/channels/555", n: 1, status: 403, body: `{"message": "Missing Access", "code": 50001}`})
		}, map[string]want{
			"discord channel 999 (channels.manager.channel)": w(chat.CheckFail, "no channel 999", "Copy Channel ID"),
			"discord channel 555 (teams[0].channel)":         w(chat.CheckFail, "cannot see", "invite-url"),
		}},
		{"Discord unreachable", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.srv.Close()
		}, map[string]want{
			"discord bot token": w(chat.CheckFail, "cannot reach Discord", "HTTPS"),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			o := DiagnoseOptions{Token: "tok", Client: &http.Client{Transport: f.transport()},
				Channels: []Channel{{triageChan, "triage.channel"}, {helpChannel, "discord.help_channels[0]"}}}
			if c.setup != nil {
				c.setup(f, &o)
			}
			got := Diagnose(context.Background(), o)
			for name, w := range c.want {
				i := slices.IndexFunc(got, func(c chat.Check) bool { return c.Name == name })
				if i < 0 {
					t.Errorf("no check %q in %+v", name, got)
					continue
				}
				ch := got[i]
				if ch.Status != w.status {
					t.Errorf("%s: status %d, want %d (%s; %s)", name, ch.Status, w.status, ch.Detail, ch.Fix)
				}
				for _, word := range w.words {
					if !strings.Contains(ch.Detail+" "+ch.Fix, word) {
						t.Errorf("%s: %q does not say %q", name, ch.Detail+" → "+ch.Fix, word)
					}
				}
				if ch.Status != chat.CheckOK && ch.Fix == "" {
					t.Errorf("%s failed without saying what to do", name)
				}
			}
		})
	}
}
