package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// The application flags that say the Message Content intent is on in the
// Developer Portal (GATEWAY_MESSAGE_CONTENT, and _LIMITED for bots in
// fewer than 100 servers).
const (
	flagMessageContent        = 1 << 19
	flagMessageContentLimited = 1 << 18
)

// permissionNames name the bits of Permissions for a person.
var permissionNames = []struct {
	bit  int64
	name string
}{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
	{discordgo.PermissionReadMessageHistory, "Read Message History"},
	{discordgo.PermissionCreatePublicThreads, "Create Public Threads"},
	{discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads"},
}

// DiagnoseOptions are what Diagnose checks.
type DiagnoseOptions struct {
	Token string
	// ApplicationID is discord.application_id; "" takes the token's.
	ApplicationID string
	// Client carries the REST calls; nil is discordgo's default (tests
	// point it at a fake Discord).
	Client   *http.Client
	Channels []Channel
}

// Channel is a channel the desk uses, named by the setting that names it
// ("triage.channel"), so a failure says which line to look at.
type Channel struct{ ID, Setting string }

// Diagnose checks the installation against Discord, as helpdesk doctor
// does: that the bot token works (/users/@me), that it belongs to the
// configured application and that the application has the Message
// Content intent the bot asks for, and that the bot may see, post, embed
// and open threads in every channel it must use. Each failure says what to
// do. It changes nothing in Discord.
func Diagnose(ctx context.Context, o DiagnoseOptions) []chat.Check {
	s, err := discordgo.New("Bot " + o.Token)
	if err != nil {
		return []chat.Check{chat.Failed("discord bot token", err.Error(), "put the bot token from your application's Bot page in DISCORD_BOT_TOKEN")}
	}
	if o.Client != nil {
		s.Client = o.Client
	}
	s.StateEnabled = false
	opt := discordgo.WithContext(ctx)
	var out []chat.Check
	me, err := s.User("@me", opt)
	if err != nil {
		out = append(out, restFailure("discord bot token", err,
			"on your application's Bot page (https://discord.com/developers/applications), Reset Token and put the new token in DISCORD_BOT_TOKEN"))
		return append(out, chat.Warned("discord channels", "not checked, as the bot token does not work", "fix the bot token first"))
	}
	out = append(out, chat.Passed("discord bot token", fmt.Sprintf("logged in as %s (%s)", me.Username, me.ID)))

	app, err := currentApplication(s, opt)
	switch {
	case err != nil:
		out = append(out, restFailure("discord application", err, "run doctor again; the bot token works, so this is Discord's side"))
	case o.ApplicationID != "" && app.ID != o.ApplicationID:
		out = append(out, chat.Failed("discord application", fmt.Sprintf("discord.application_id is %s, but the token is the bot of application %s (%s)", o.ApplicationID, app.ID, app.Name),
			fmt.Sprintf("set discord.application_id: %q, or put the token of application %s in DISCORD_BOT_TOKEN", app.ID, o.ApplicationID)))
	default:
		out = append(out, chat.Passed("discord application", fmt.Sprintf("%s (%s)", app.Name, app.ID)))
	}
	if err == nil {
		if app.Flags&(flagMessageContent|flagMessageContentLimited) == 0 {
			out = append(out, chat.Failed("discord message content intent",
				"the Message Content intent is off in the Developer Portal; the bot asks for it, so Discord refuses its gateway connection (close code 4014, disallowed intents)",
				"in the Developer Portal, open your application → Bot → Privileged Gateway Intents, turn on Message Content Intent and save"))
		} else {
			out = append(out, chat.Passed("discord message content intent", "on: the bot reads what is written in help channels and report threads"))
		}
	}

	seen := map[string]bool{}
	for _, ch := range o.Channels {
		if seen[ch.ID] {
			continue
		}
		seen[ch.ID] = true
		out = append(out, channelCheck(s, me.ID, ch, opt))
	}
	return out
}

// channelCheck computes the bot's permissions in a channel from its roles
// and the channel's overwrites, and names those it lacks.
func channelCheck(s *discordgo.Session, botID string, ch Channel, opt discordgo.RequestOption) chat.Check {
	name := fmt.Sprintf("discord channel %s (%s)", ch.ID, ch.Setting)
	perms, err := s.UserChannelPermissions(botID, ch.ID, opt)
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusNotFound {
			return chat.Failed(name, "no channel "+ch.ID, "check the ID in "+ch.Setting+" (Developer Mode → right-click the channel → Copy Channel ID)")
		}
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusForbidden {
			return chat.Failed(name, "the bot cannot see channel "+ch.ID,
				"add the bot to that server (helpdesk discord invite-url prints the link) and let its role view the channel")
		}
		return restFailure(name, err, "run doctor again; if it persists, check the connection to discord.com")
	}
	var missing []string
	for _, p := range permissionNames {
		if perms&p.bit == 0 {
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		return chat.Failed(name, "the bot lacks "+strings.Join(missing, ", ")+" there",
			"in the channel's settings → Permissions, allow them for the bot's role (or add the bot again with the link of helpdesk discord invite-url)")
	}
	return chat.Passed(name, "the bot can see it, post, embed and open threads there")
}

// restFailure is a failed check for a REST error: a refused token, or no
// answer at all.
func restFailure(name string, err error, fix string) chat.Check {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		detail := fmt.Sprintf("Discord answered %s", re.Response.Status)
		if re.Response.StatusCode == http.StatusUnauthorized {
			detail = "Discord refused DISCORD_BOT_TOKEN (" + re.Response.Status + ")"
		}
		return chat.Failed(name, detail, fix)
	}
	return chat.Failed(name, "cannot reach Discord: "+err.Error(),
		"check that this host can open HTTPS connections to discord.com (and HTTPS_PROXY if it must use a proxy)")
}

// currentApplication is the application the bot token belongs to
// (discordgo's Application takes no context).
func currentApplication(s *discordgo.Session, opt discordgo.RequestOption) (*discordgo.Application, error) {
	url := discordgo.EndpointOAuth2Application("@me")
	body, err := s.RequestWithBucketID(http.MethodGet, url, nil, discordgo.EndpointOAuth2Application(""), opt)
	if err != nil {
		return nil, err
	}
	var app discordgo.Application
	if err := json.Unmarshal(body, &app); err != nil {
		return nil, fmt.Errorf("discord: application: %w", err)
	}
	return &app, nil
}
