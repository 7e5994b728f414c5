package discord

import (
	"context"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/chat/chattest"
)

// The checks of the fake's triage and help channels, as Diagnose names them.
const (
	triageCheck = "discord channel " + discordfake.Triage + " (triage.channel)"
	helpCheck   = "discord channel " + discordfake.Help + " (discord.help_channels[0])"
)

// Diagnose against the fake Discord, in each way an installation goes
// wrong: every failure says what failed and what to do.
func TestDiagnose(t *testing.T) {
	for _, c := range []struct {
		name  string
		fake  discordfake.Options // the guild as the bot finds it
		setup func(f *fakeDiscord, o *DiagnoseOptions)
		want  map[string]chattest.Want
	}{
		{"all good", discordfake.Options{}, nil, map[string]chattest.Want{
			"discord bot token":              chattest.W(chat.CheckOK, "helpbot", discordfake.BotID),
			"discord application":            chattest.W(chat.CheckOK, "Help Desk", discordfake.AppID),
			"discord message content intent": chattest.W(chat.CheckOK),
			triageCheck:                      chattest.W(chat.CheckOK, "post"),
			helpCheck:                        chattest.W(chat.CheckOK),
		}},
		{"revoked token", discordfake.Options{}, func(f *fakeDiscord, o *DiagnoseOptions) {
			f.AddFault(discordfake.Fault{Method: "GET", Path: "/users/@me", N: 1, Status: 401, Body: `{"message": "401: Unauthorized", "code": 0}`})
		}, map[string]chattest.Want{
			"discord bot token": chattest.W(chat.CheckFail, "refused DISCORD_BOT_TOKEN (401", "Reset Token"),
			"discord channels":  chattest.W(chat.CheckWarn, "not checked"),
		}},
		{"intent off", discordfake.Options{NoMessageContent: true}, nil, map[string]chattest.Want{
			"discord message content intent": chattest.W(chat.CheckFail, "4014", "Privileged Gateway Intents", "Message Content Intent"),
		}},
		{"another application", discordfake.Options{}, func(f *fakeDiscord, o *DiagnoseOptions) {
			o.ApplicationID = "123456789"
		}, map[string]chattest.Want{
			"discord application": chattest.W(chat.CheckFail, "discord.application_id is 123456789", `discord.application_id: "`+discordfake.AppID+`"`),
		}},
		{"bot cannot post", discordfake.Options{
			Everyone: discordgo.PermissionViewChannel | discordgo.PermissionReadMessageHistory,
			Overwrites: map[string][]discordfake.Overwrite{discordfake.Help: {
				{ID: discordfake.Guild, Type: int(discordgo.PermissionOverwriteTypeRole), Allow: Permissions},
			}},
		}, nil, map[string]chattest.Want{
			triageCheck: chattest.W(chat.CheckFail, "lacks Send Messages, Embed Links, Create Public Threads, Send Messages in Threads", "Permissions"),
			helpCheck:   chattest.W(chat.CheckOK),
		}},
		{"unknown and hidden channels", discordfake.Options{}, func(f *fakeDiscord, o *DiagnoseOptions) {
			o.Channels = append(o.Channels, Channel{"999", "channels.manager.channel"}, Channel{"555", "teams[0].channel"})
			f.AddFault(discordfake.Fault{Method: "GET", Path: "/channels/555", N: 1, Status: 403, Body: `{"message": "Missing Access", "code": 50001}`})
		}, map[string]chattest.Want{
			"discord channel 999 (channels.manager.channel)": chattest.W(chat.CheckFail, "no channel 999", "Copy Channel ID"),
			"discord channel 555 (teams[0].channel)":         chattest.W(chat.CheckFail, "cannot see", "invite-url"),
		}},
		{"Discord unreachable", discordfake.Options{}, func(f *fakeDiscord, o *DiagnoseOptions) {
			f.Close()
		}, map[string]chattest.Want{
			"discord bot token": chattest.W(chat.CheckFail, "cannot reach Discord", "HTTPS"),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, c.fake)
			o := DiagnoseOptions{Token: "tok", Client: &http.Client{Transport: f.Transport()},
				Channels: []Channel{{discordfake.Triage, "triage.channel"}, {discordfake.Help, "discord.help_channels[0]"}}}
			if c.setup != nil {
				c.setup(f, &o)
			}
			chattest.ExpectChecks(t, Diagnose(context.Background(), o), c.want)
		})
	}
}
