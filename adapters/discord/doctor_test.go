package discord

import (
	"context"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
)

// Diagnose against the fake Discord, in each way an installation goes
// wrong: every failure says what failed and what to do.
func TestDiagnose(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(f *fakeDiscord, o *DiagnoseOptions)
		want  map[string]chattest.Want
	}{
		{"all good", nil, map[string]chattest.Want{
			"discord bot token":                              chattest.W(chat.CheckOK, "helpbot", fakeBotID),
			"discord application":                            chattest.W(chat.CheckOK, "Help Desk", fakeAppID),
			"discord message content intent":                 chattest.W(chat.CheckOK),
			"discord channel 300 (triage.channel)":           chattest.W(chat.CheckOK, "post"),
			"discord channel 200 (discord.help_channels[0])": chattest.W(chat.CheckOK),
		}},
		{"revoked token", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.addFault(&fault{method: "GET", path: "/users/@me", n: 1, status: 401, body: `{"message": "401: Unauthorized", "code": 0}`})
		}, map[string]chattest.Want{
			"discord bot token": chattest.W(chat.CheckFail, "refused DISCORD_BOT_TOKEN (401", "Reset Token"),
			"discord channels":  chattest.W(chat.CheckWarn, "not checked"),
		}},
		{"intent off", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.appFlags = 0
		}, map[string]chattest.Want{
			"discord message content intent": chattest.W(chat.CheckFail, "4014", "Privileged Gateway Intents", "Message Content Intent"),
		}},
		{"another application", func(f *fakeDiscord, o *DiagnoseOptions) {
			o.ApplicationID = "123456789"
		}, map[string]chattest.Want{
			"discord application": chattest.W(chat.CheckFail, "discord.application_id is 123456789", `discord.application_id: "800"`),
		}},
		{"bot cannot post", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.everyone = discordgo.PermissionViewChannel | discordgo.PermissionReadMessageHistory
			f.channels[helpChannel] = fakeChannel{ID: helpChannel, GuildID: fakeGuild, Overwrites: []*discordgo.PermissionOverwrite{
				{ID: fakeGuild, Type: discordgo.PermissionOverwriteTypeRole, Allow: Permissions},
			}}
		}, map[string]chattest.Want{
			"discord channel 300 (triage.channel)":           chattest.W(chat.CheckFail, "lacks Send Messages, Embed Links, Create Public Threads, Send Messages in Threads", "Permissions"),
			"discord channel 200 (discord.help_channels[0])": chattest.W(chat.CheckOK),
		}},
		{"unknown and hidden channels", func(f *fakeDiscord, o *DiagnoseOptions) {
			o.Channels = append(o.Channels, Channel{"999", "channels.manager.channel"}, Channel{"555", "teams[0].channel"})
			f.addFault(&fault{method: "GET", path: "/channels/555", n: 1, status: 403, body: `{"message": "Missing Access", "code": 50001}`})
		}, map[string]chattest.Want{
			"discord channel 999 (channels.manager.channel)": chattest.W(chat.CheckFail, "no channel 999", "Copy Channel ID"),
			"discord channel 555 (teams[0].channel)":         chattest.W(chat.CheckFail, "cannot see", "invite-url"),
		}},
		{"Discord unreachable", func(f *fakeDiscord, o *DiagnoseOptions) {
			f.srv.Close()
		}, map[string]chattest.Want{
			"discord bot token": chattest.W(chat.CheckFail, "cannot reach Discord", "HTTPS"),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			o := DiagnoseOptions{Token: "tok", Client: &http.Client{Transport: f.transport()},
				Channels: []Channel{{triageChan, "triage.channel"}, {helpChannel, "discord.help_channels[0]"}}}
			if c.setup != nil {
				c.setup(f, &o)
			}
			chattest.ExpectChecks(t, Diagnose(context.Background(), o), c.want)
		})
	}
}
