package slack

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// manifest is the app manifest shipped with the adapter: the scopes it
// asks for are exactly those the adapter uses.
//
//go:embed manifest.yaml
var manifest []byte

// Scopes are the bot token scopes the adapter uses, as the shipped
// manifest asks for them.
func Scopes() ([]string, error) {
	var m struct {
		OAuth struct {
			Scopes struct{ Bot []string }
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("slack: manifest: %w", err)
	}
	return m.OAuth.Scopes.Bot, nil
}

// DiagnoseOptions are what Diagnose checks: the tokens, and the channels
// the desk posts to or reads.
type DiagnoseOptions struct {
	BotToken, AppToken, SigningSecret string
	SocketMode                        bool
	// APIURL is the Web API's base, with a trailing slash; "" is Slack.
	APIURL     string
	HTTPClient *http.Client // nil: a client with a 20 s timeout
	Channels   []Channel
}

// Channel is a channel the desk uses, named by the setting that names it
// ("triage.channel"), so a failure says which line to look at.
type Channel struct{ ID, Setting string }

// Diagnose checks the installation against Slack, as helpdesk doctor
// does: that the bot token works (auth.test) and has every scope the bot
// uses, that Socket Mode can connect with the app-level token (or that
// the HTTP Events API has its signing secret), and that the bot is a
// member of every channel it must use. Each failure says what to do. It
// changes nothing in Slack.
func Diagnose(ctx context.Context, o DiagnoseOptions) []chat.Check {
	if o.APIURL == "" {
		o.APIURL = slackAPI
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	var out []chat.Check
	auth, header, err := o.call(ctx, "auth.test", o.BotToken, nil)
	token := tokenCheck("slack bot token", "SLACK_BOT_TOKEN", auth, err)
	out = append(out, token)
	if token.Status == chat.CheckFail {
		return append(out, chat.Warned("slack channels", "not checked, as the bot token does not work", "fix the bot token first"))
	}
	out = append(out, scopeCheck(header))
	if o.SocketMode {
		a, _, err := o.call(ctx, "apps.connections.open", o.AppToken, nil)
		c := tokenCheck("slack app token", "SLACK_APP_TOKEN", a, err)
		if c.Status == chat.CheckOK {
			c.Detail = "Socket Mode can connect"
		}
		out = append(out, c)
	} else if o.SigningSecret == "" {
		out = append(out, chat.Failed("slack signing secret", "SLACK_SIGNING_SECRET is not set", "copy the Signing Secret from your app's Basic Information page into SLACK_SIGNING_SECRET"))
	} else {
		out = append(out, chat.Passed("slack signing secret", "set; every request from Slack is checked against it"))
	}
	seen := map[string]bool{}
	for _, ch := range o.Channels {
		if seen[ch.ID] {
			continue
		}
		seen[ch.ID] = true
		a, _, err := o.call(ctx, "conversations.history", o.BotToken, url.Values{"channel": {ch.ID}, "limit": {"1"}})
		out = append(out, channelCheck(ch, auth.User, a, err))
	}
	return out
}

// slackAPI is the Web API's base.
const slackAPI = "https://slack.com/api/"

// answer is the part of a Web API answer the checks read.
type answer struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Needed string `json:"needed"` // the scope a missing_scope answer lacks
	User   string `json:"user"`
	UserID string `json:"user_id"`
	Team   string `json:"team"`
}

// call makes one Web API call with token; the error is for no answer (the
// network, or an HTTP status other than 200).
func (o DiagnoseOptions) call(ctx context.Context, method, token string, form url.Values) (answer, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.APIURL+method, strings.NewReader(form.Encode()))
	if err != nil {
		return answer{}, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		return answer{}, nil, fmt.Errorf("cannot reach Slack: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return answer{}, resp.Header, fmt.Errorf("Slack answered %s", resp.Status)
	}
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return answer{}, resp.Header, fmt.Errorf("Slack's answer to %s does not parse: %w", method, err)
	}
	return a, resp.Header, nil
}

// tokenCheck reads a token's first call.
func tokenCheck(name, env string, a answer, err error) chat.Check {
	const noAnswer = "check that this host can open HTTPS connections to slack.com (and HTTPS_PROXY if it must use a proxy); Slack's status is at https://slack-status.com"
	appToken := env == "SLACK_APP_TOKEN"
	renew := "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page into " + env
	if appToken {
		renew = "generate an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and put it (xapp-…) in " + env
	}
	switch {
	case err != nil:
		return chat.Failed(name, err.Error(), noAnswer)
	case a.OK:
		return chat.Passed(name, fmt.Sprintf("authenticated as @%s (%s) in %s", a.User, a.UserID, a.Team))
	case a.Error == "invalid_auth" || a.Error == "not_authed":
		return chat.Failed(name, fmt.Sprintf("Slack refused %s (%s)", env, a.Error), renew)
	case a.Error == "token_revoked" || a.Error == "token_expired" || a.Error == "account_inactive":
		fix := "reinstall the app (Install App → Reinstall to Workspace) and put the new Bot User OAuth Token in " + env
		if appToken {
			fix = renew
		}
		return chat.Failed(name, fmt.Sprintf("%s no longer works (%s): the app was uninstalled or the token revoked", env, a.Error), fix)
	case a.Error == "not_allowed_token_type":
		return chat.Failed(name, fmt.Sprintf("%s is the wrong kind of token", env), renew)
	case a.Error == "missing_scope":
		return chat.Failed(name, fmt.Sprintf("%s lacks the scope %s", env, a.Needed), renew)
	default:
		return chat.Failed(name, fmt.Sprintf("Slack refused %s: %s", env, a.Error), "see what "+a.Error+" means at https://api.slack.com/methods")
	}
}

// scopeCheck compares the token's scopes, which Slack lists in the
// X-OAuth-Scopes header of every answer, with those the bot uses.
func scopeCheck(header http.Header) chat.Check {
	want, err := Scopes()
	if err != nil {
		return chat.Failed("slack scopes", err.Error(), "")
	}
	list := header.Get("X-OAuth-Scopes")
	if list == "" {
		return chat.Warned("slack scopes", "Slack did not say which scopes the token has", "compare the app's Bot Token Scopes (OAuth & Permissions) with adapters/slack/manifest.yaml")
	}
	var have []string
	for s := range strings.SplitSeq(list, ",") {
		have = append(have, strings.TrimSpace(s))
	}
	var missing []string
	for _, s := range want {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return chat.Failed("slack scopes", "the bot token lacks "+strings.Join(missing, ", "),
			"add them under OAuth & Permissions → Bot Token Scopes (or paste adapters/slack/manifest.yaml on the app's App Manifest page), then reinstall the app to the workspace")
	}
	return chat.Passed("slack scopes", fmt.Sprintf("the token has all %d scopes the bot uses", len(want)))
}

// channelCheck reads conversations.history of a channel: a bot may read a
// channel's history only as a member, and as a member with chat:write it
// may post there.
func channelCheck(ch Channel, bot string, a answer, err error) chat.Check {
	name := fmt.Sprintf("slack channel %s (%s)", ch.ID, ch.Setting)
	invite := "in Slack, open the channel and type /invite @" + bot
	switch {
	case err != nil:
		return chat.Failed(name, err.Error(), "run doctor again; if it persists, check the connection to slack.com")
	case a.OK:
		return chat.Passed(name, "the bot is a member: it can read and post there")
	case a.Error == "not_in_channel":
		return chat.Failed(name, "the bot is not a member of "+ch.ID, invite)
	case a.Error == "channel_not_found":
		return chat.Failed(name, "no channel "+ch.ID+" the bot can see: it does not exist, or it is private and the bot is not in it",
			"check the ID in "+ch.Setting+" (the channel's name → About → Channel ID), and for a private channel, "+invite)
	case a.Error == "is_archived":
		return chat.Failed(name, ch.ID+" is archived", "unarchive it, or name another channel in "+ch.Setting)
	case a.Error == "missing_scope":
		return chat.Failed(name, "the bot token lacks the scope "+a.Needed, "add it under OAuth & Permissions → Bot Token Scopes and reinstall the app")
	default:
		return chat.Failed(name, "Slack refused to show "+ch.ID+": "+a.Error, "see what "+a.Error+" means at https://api.slack.com/methods/conversations.history")
	}
}
