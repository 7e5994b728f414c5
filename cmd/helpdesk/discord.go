package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

// discordTokenEnv names the environment variable holding the bot token;
// the token is never read from the config file.
const discordTokenEnv = config.EnvDiscordBotToken

// discordAPIEnv, when set, sends every Discord REST and gateway request to
// that base URL instead of https://discord.com. It exists for tests
// against a fake Discord on loopback and is not a setting for production.
const discordAPIEnv = "DISCORD_API_URL"

// startDiscord builds the Discord adapter when Discord runs (its bot token
// is set), and returns nil when it does not.
func startDiscord(cfg config.Config, e env, d deps) (*platform, error) {
	if !cfg.Runs(discord.Platform) {
		return nil, nil
	}
	token := strings.TrimSpace(e.env(discordTokenEnv))
	ds := cfg.Discord
	client, err := discordClient(e)
	if err != nil {
		return nil, err
	}
	s, err := discord.NewSession(token, ds.ShardID, ds.ShardCount, client)
	if err != nil {
		return nil, err
	}
	opts := discord.Options{Logger: d.log.With("platform", "discord"), Now: d.now, Timeout: cfg.MessageTimeout,
		Outbox: d.store, OutboxWake: d.wakeOutbox, GatewayAcks: d.ackLatency(discord.Platform, transportGateway)}
	if d.inbox != nil { // a nil *chat.Inbox in the interface would not read as none
		opts.Inbox = d.inbox
	}
	a := discord.New(discord.Config{
		ApplicationID: ds.ApplicationID, Guilds: ds.Guilds, HelpChannels: ds.HelpChannels, PublicKey: ds.PublicKey,
		// One shard registers the commands for the whole installation.
		RegisterCommands: ds.ShardID == 0,
	}, s, s, d.core, d.workers, opts)
	p := &platform{name: discord.Platform, sender: a, run: a.Run, health: a.Health}
	if ds.HTTPInteractions {
		p.routes = map[string]http.Handler{"POST /discord/interactions": a.InteractionsHandler()}
	}
	return p, nil
}

// discordClient is the HTTP client of Discord's REST calls: nil for
// discordgo's own, or one sent to DISCORD_API_URL when it is set.
func discordClient(e env) (*http.Client, error) {
	base := e.env(discordAPIEnv)
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%s: %q is not a URL", discordAPIEnv, base)
	}
	return &http.Client{Transport: redirect{u}, Timeout: 20 * time.Second}, nil
}

// redirect sends requests for discord.com (REST and the gateway lookup) to
// a test server; see discordAPIEnv.
type redirect struct{ target *url.URL }

func (rt redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rt.target.Scheme, rt.target.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// runDiscord runs "helpdesk discord ...".
func runDiscord(args []string, e env) int {
	if len(args) == 0 || args[0] != "invite-url" {
		fmt.Fprint(e.stderr, "Usage: helpdesk discord invite-url [-config FILE] [-app ID]\n  Print the URL that adds the bot to a server with the scopes and permissions it needs.\n")
		return 2
	}
	fs := flag.NewFlagSet("helpdesk discord invite-url", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", "YAML config file with discord.application_id")
	app := fs.String("app", "", "application ID (default: discord.application_id from the config)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	id := strings.TrimSpace(*app)
	if id == "" {
		cfg, err := config.Load(*configPath)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
			return 1
		}
		id = cfg.Discord.ApplicationID
	}
	if id == "" {
		fmt.Fprint(e.stderr, "helpdesk: no application ID; pass -app ID or set discord.application_id in the config (copy it from the General Information page of your app at https://discord.com/developers/applications)\n")
		return 1
	}
	if !config.IsDiscordID(id) {
		fmt.Fprintf(e.stderr, "helpdesk: -app %q is not a Discord application ID\n", id)
		return 1
	}
	fmt.Fprintln(e.stdout, discord.InviteURL(id))
	return 0
}
