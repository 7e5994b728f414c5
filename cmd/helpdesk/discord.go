package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord"
)

// discordTokenEnv names the environment variable holding the bot token;
// the token is never read from the config file.
const discordTokenEnv = "DISCORD_BOT_TOKEN"

// discordAPIEnv, when set, sends every Discord REST and gateway request to
// that base URL instead of https://discord.com. It exists for tests
// against a fake Discord on loopback and is not a setting for production.
const discordAPIEnv = "DISCORD_API_URL"

// discordConfig is the discord: section of the config file.
type discordConfig struct {
	ApplicationID    string   `yaml:"application_id"`
	PublicKey        string   `yaml:"public_key"`
	Guilds           []string `yaml:"guilds"`
	HelpChannels     []string `yaml:"help_channels"`
	ShardID          int      `yaml:"shard_id"`
	ShardCount       int      `yaml:"shard_count"`
	HTTPInteractions bool     `yaml:"http_interactions"`
}

// discordSettings is the resolved Discord configuration.
type discordSettings struct {
	ApplicationID    string
	PublicKey        ed25519.PublicKey
	Guilds           []string
	HelpChannels     []string
	ShardID          int
	ShardCount       int
	HTTPInteractions bool
}

// snowflake is a Discord ID: a decimal number.
var snowflake = regexp.MustCompile(`^[0-9]{5,20}$`)

func (c discordConfig) resolve() (discordSettings, error) {
	s := discordSettings{ApplicationID: c.ApplicationID, ShardID: c.ShardID, ShardCount: c.ShardCount, HTTPInteractions: c.HTTPInteractions}
	if s.ApplicationID != "" && !snowflake.MatchString(s.ApplicationID) {
		return s, fmt.Errorf("discord.application_id: %q is not a Discord ID; copy the Application ID from the General Information page of your app at https://discord.com/developers/applications", c.ApplicationID)
	}
	for _, list := range []struct {
		key string
		in  []string
		out *[]string
	}{{"discord.guilds", c.Guilds, &s.Guilds}, {"discord.help_channels", c.HelpChannels, &s.HelpChannels}} {
		for i, id := range list.in {
			if !snowflake.MatchString(id) {
				return s, fmt.Errorf("%s[%d]: %q is not a Discord ID; turn on Developer Mode in Discord (User Settings → Advanced) and use Copy ID on the server or channel", list.key, i, id)
			}
			*list.out = append(*list.out, id)
		}
	}
	if s.ShardCount == 0 {
		s.ShardCount = 1
	}
	if s.ShardCount < 1 {
		return s, fmt.Errorf("discord.shard_count: %d is not a number of shards; use 1 (the default) or the total number of processes sharing the bot", c.ShardCount)
	}
	if s.ShardID < 0 || s.ShardID >= s.ShardCount {
		return s, fmt.Errorf("discord.shard_id: %d is out of range for shard_count %d; use 0 to %d, a different one in each process", c.ShardID, s.ShardCount, s.ShardCount-1)
	}
	if c.PublicKey != "" {
		key, err := hex.DecodeString(c.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return s, fmt.Errorf("discord.public_key: not a %d-character hex key; copy the Public Key from the General Information page of your app", 2*ed25519.PublicKeySize)
		}
		s.PublicKey = key
	}
	if s.HTTPInteractions && len(s.PublicKey) == 0 {
		return s, fmt.Errorf("discord.http_interactions: needs discord.public_key to verify Discord's signatures; set it, or turn http_interactions off to receive interactions over the gateway")
	}
	return s, nil
}

// startDiscord builds the Discord adapter when a Discord bot token is set in
// the environment, and returns nil when Discord is not configured.
func startDiscord(cfg Config, e env, d deps) (*platform, error) {
	token := e.env(discordTokenEnv)
	if token == "" {
		return nil, nil
	}
	ds := cfg.Discord
	var client *http.Client
	if base := e.env(discordAPIEnv); base != "" {
		u, err := url.Parse(base)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%s: %q is not a URL", discordAPIEnv, base)
		}
		client = &http.Client{Transport: redirect{u}, Timeout: 20 * time.Second}
	}
	s, err := discord.NewSession(token, ds.ShardID, ds.ShardCount, client)
	if err != nil {
		return nil, err
	}
	a := discord.New(discord.Config{
		ApplicationID: ds.ApplicationID, Guilds: ds.Guilds, HelpChannels: ds.HelpChannels, PublicKey: ds.PublicKey,
		// One shard registers the commands for the whole installation.
		RegisterCommands: ds.ShardID == 0,
	}, s, s, d.core, d.workers, discord.Options{Logger: d.log.With("platform", "discord"), Now: d.now, Timeout: cfg.MessageTimeout})
	p := &platform{name: discord.Platform, sender: a, run: a.Run, health: a.Health}
	if ds.HTTPInteractions {
		p.routes = map[string]http.Handler{"POST /discord/interactions": a.InteractionsHandler()}
	}
	return p, nil
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
		cfg, err := loadConfig(*configPath)
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
	if !snowflake.MatchString(id) {
		fmt.Fprintf(e.stderr, "helpdesk: -app %q is not a Discord application ID\n", id)
		return 1
	}
	fmt.Fprintln(e.stdout, discord.InviteURL(id))
	return 0
}
