package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	discordadapter "github.com/helpdesk-bot/helpdesk/adapters/discord"
	slackadapter "github.com/helpdesk-bot/helpdesk/adapters/slack"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/postgres"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// doctorTimeout bounds all of doctor's calls to the platforms and servers.
const doctorTimeout = 30 * time.Second

// runDoctor runs "helpdesk doctor": it checks the installation as the bot
// would start it, prints each result with the one thing to do when it
// failed, and exits 1 when a check failed. It changes nothing: the
// database is probed in a transaction it rolls back, and the platforms
// are only read from.
func runDoctor(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("helpdesk doctor", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cf := addConfigFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: helpdesk doctor [-config FILE] [-data DIR]\n  Check the config, the environment, the database, the knowledge base, each platform's tokens and channels, and the LLM server.\n")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "helpdesk doctor: unexpected argument %q; it takes only -config and -data\n", fs.Arg(0))
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	checks := diagnose(ctx, cf, e)
	return printChecks(e.stdout, checks)
}

// diagnose runs every check, in the order a start meets them.
func diagnose(ctx context.Context, cf configFlags, e env) []chat.Check {
	cfg, err := cf.load(e)
	if err != nil {
		return []chat.Check{chat.Failed("config", err.Error(), "change what the message names; config.example.yaml shows every setting")}
	}
	source := "built-in defaults"
	if *cf.path != "" {
		source = *cf.path
	}
	if len(cfg.FromEnv) > 0 {
		source += " and " + strings.Join(cfg.FromEnv, ", ")
	}
	chats := strings.Join(cfg.Chats, " and ")
	if cfg.Runs("console") {
		chats = "the console (neither " + config.EnvSlackBotToken + " nor " + config.EnvDiscordBotToken + " is set)"
	}
	out := []chat.Check{chat.Passed("config", fmt.Sprintf("%s; the chat is %s", source, chats))}
	if e.environ != nil {
		if unknown := config.UnknownEnv(e.environ()); len(unknown) > 0 {
			verb := " sets nothing"
			if len(unknown) > 1 {
				verb = " set nothing"
			}
			out = append(out, chat.Warned("environment", strings.Join(unknown, ", ")+verb,
				"check the spelling against docs/environment.md (HELPDESK_ and the setting's key, dots as underscores)"))
		}
	}
	out = append(out, agentsCheck(cfg)...)
	out = append(out, logCheck(cfg), databaseCheck(ctx, cfg.Database), kbCheck(cfg), httpCheck(cfg))
	return append(out, platformChecks(ctx, cfg, e)...)
}

// platformChecks are the checks against what the bot talks to: each
// running chat's platform and the LLM server. The bot runs them at
// start-up too, and logs what fails.
func platformChecks(ctx context.Context, cfg config.Config, e env) []chat.Check {
	var out []chat.Check
	if cfg.Runs(slackadapter.Platform) {
		out = append(out, slackChecks(ctx, cfg, e)...)
	}
	if cfg.Runs(discordadapter.Platform) {
		out = append(out, discordChecks(ctx, cfg, e)...)
	}
	if cfg.LLM.BaseURL != "" {
		c, err := newLLMClient(cfg.LLM, e.getenv, nil)
		if err != nil {
			out = append(out, chat.Failed("llm server", err.Error(), "correct the llm: section"))
		} else {
			out = append(out, c.Check(ctx))
		}
	}
	return out
}

func slackChecks(ctx context.Context, cfg config.Config, e env) []chat.Check {
	botToken, appToken, secret, err := slackTokens(cfg.Slack, e)
	if err != nil {
		return []chat.Check{chat.Failed("slack tokens", err.Error(), "set the variable the message names (see the README, \"Slack\")")}
	}
	var channels []slackadapter.Channel
	for _, c := range channelsOf(cfg, slackadapter.Platform) {
		channels = append(channels, slackadapter.Channel{ID: c.id, Setting: c.setting})
	}
	for i, id := range cfg.Slack.HelpChannels {
		channels = append(channels, slackadapter.Channel{ID: id, Setting: fmt.Sprintf("slack.help_channels[%d]", i)})
	}
	return slackadapter.Diagnose(ctx, slackadapter.DiagnoseOptions{BotToken: botToken, AppToken: appToken, SigningSecret: secret,
		SocketMode: cfg.Slack.SocketMode, APIURL: e.env(envSlackAPIURL), Channels: channels})
}

func discordChecks(ctx context.Context, cfg config.Config, e env) []chat.Check {
	client, err := discordClient(e)
	if err != nil {
		return []chat.Check{chat.Failed("discord", err.Error(), "unset "+discordAPIEnv+": it is for tests only")}
	}
	var channels []discordadapter.Channel
	for _, c := range channelsOf(cfg, discordadapter.Platform) {
		channels = append(channels, discordadapter.Channel{ID: c.id, Setting: c.setting})
	}
	for i, id := range cfg.Discord.HelpChannels {
		channels = append(channels, discordadapter.Channel{ID: id, Setting: fmt.Sprintf("discord.help_channels[%d]", i)})
	}
	return discordadapter.Diagnose(ctx, discordadapter.DiagnoseOptions{Token: strings.TrimSpace(e.env(discordTokenEnv)),
		ApplicationID: cfg.Discord.ApplicationID, Client: client, Channels: channels})
}

// checkPlatforms runs doctor's checks of the platforms and the LLM server
// once at start-up and logs what they find: what failed as a warning with
// what to do, as the bot keeps running (a platform may come back).
func (a *app) checkPlatforms(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	for _, c := range platformChecks(ctx, a.cfg, a.env) {
		if ctx.Err() != nil {
			return // stopping
		}
		if c.Status == chat.CheckOK {
			a.log.Info("start-up check passed", "check", c.Name, "detail", c.Detail)
			continue
		}
		a.log.Warn("start-up check: "+c.Detail, "check", c.Name, "fix", c.Fix)
	}
}

// namedChannel is a channel the desk posts to, with the setting that
// names it.
type namedChannel struct{ id, setting string }

// channelsOf are the channels on platform the desk posts to: triage, the
// teams', the managers' and the security alerts'. One that is the triage
// channel by default is named once, as triage.channel.
func channelsOf(cfg config.Config, platform string) []namedChannel {
	b := cfg.Bot
	var out []namedChannel
	add := func(p tickets.Place, setting string) {
		if p.Platform == platform && !slices.ContainsFunc(out, func(c namedChannel) bool { return c.id == p.ChannelID }) {
			out = append(out, namedChannel{p.ChannelID, setting})
		}
	}
	add(b.Triage, "triage.channel")
	for i, t := range b.Teams {
		add(t.Place, fmt.Sprintf("teams[%d].channel (team %s)", i, t.Name))
	}
	add(b.ManagerChannel, "channels.manager.channel")
	add(b.SecurityChannel, "channels.security.channel")
	return out
}

// agentsCheck warns of a running platform on which nobody is an agent:
// tickets would arrive in triage with nobody allowed to claim them.
func agentsCheck(cfg config.Config) []chat.Check {
	var out []chat.Check
	for _, platform := range cfg.Chats {
		if platform == "console" {
			continue
		}
		found := slices.ContainsFunc(cfg.Bot.Agents, func(a bot.Agent) bool {
			return slices.ContainsFunc(append(slices.Clone(a.IDs), a.Groups...), func(id string) bool { return strings.HasPrefix(id, platform+":") })
		})
		if !found {
			out = append(out, chat.Warned("agents", "nobody is an agent on "+platform+": agents lists no "+platform+": user or group",
				fmt.Sprintf("add your agents to the config, like agents: [{name: Dana, ids: [\"%s:USER_ID\"]}], or nobody can claim the tickets", platform)))
		}
	}
	return out
}

// logCheck says where the log goes and that it can be written.
func logCheck(cfg config.Config) chat.Check {
	if cfg.LogFile == "" {
		return chat.Passed("log", "standard error")
	}
	if _, err := os.Stat(filepath.Dir(cfg.LogFile)); errors.Is(err, os.ErrNotExist) {
		return chat.Passed("log", cfg.LogFile+" (its directory is created at start)")
	}
	f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return chat.Failed("log", err.Error(), "let the user running helpdesk write "+cfg.LogFile+", or set log.file: stderr")
	}
	f.Close()
	return chat.Passed("log", cfg.LogFile)
}

// databaseCheck probes the database as a start would open it, and undoes
// what it did.
func databaseCheck(ctx context.Context, database string) chat.Check {
	const name = "database"
	var s sqlite.Schema // postgres.Schema is the same type
	var err error
	pg := isPostgresURL(database)
	shown := database
	if pg {
		shown = redact(database)
		s, err = postgres.Probe(ctx, database)
	} else {
		s, err = sqlite.Probe(ctx, database)
	}
	backup := "take a backup first: helpdesk backup FILE"
	grant := "let the user running helpdesk write " + database + " and its directory (SQLite also writes " + filepath.Base(database) + "-wal and -shm beside it)"
	if pg {
		backup = "take a backup first with pg_dump"
		grant = "let the database role create tables in its schema (for migrations) and write them; simplest, make it the database's owner"
	}
	switch {
	case err != nil && strings.Contains(err.Error(), "newer helpdesk"):
		return chat.Failed(name, err.Error(), "run the newer helpdesk that migrated it, or restore the backup taken before the upgrade")
	case err != nil:
		return chat.Failed(name, shown+": "+err.Error(), "check database (or HELPDESK_DATABASE) and that the database is reachable")
	case s.Writes != nil:
		return chat.Failed(name, fmt.Sprintf("%s refuses writes: %v", shown, s.Writes), grant)
	case s.Current == 0:
		return chat.Passed(name, fmt.Sprintf("%s is new: the schema (%d migrations) is created at start", shown, s.Latest))
	case len(s.Pending) > 0:
		return chat.Warned(name, fmt.Sprintf("%s is at schema %d of %d: a start applies %s (tried and rolled back: it applies cleanly)", shown, s.Current, s.Latest, strings.Join(s.Pending, ", ")), backup)
	}
	return chat.Passed(name, fmt.Sprintf("%s: schema %d, this build's; takes writes", shown, s.Current))
}

func kbCheck(cfg config.Config) chat.Check {
	arts, source, err := loadKB(cfg.KBDir)
	if err != nil {
		return chat.Failed("knowledge base", err.Error(), "correct kb.dir, or remove it to use the built-in articles")
	}
	return chat.Passed("knowledge base", fmt.Sprintf("%d articles (%s)", len(arts), source))
}

// httpCheck says what http.addr serves, and whether it is free.
func httpCheck(cfg config.Config) chat.Check {
	if cfg.HTTPAddr == "" {
		if cfg.Runs("console") {
			return chat.Passed("http", "off (http.addr is empty)")
		}
		return chat.Warned("http", "off: no /healthz, /readyz or /metrics", "set http.addr (or HELPDESK_HTTP_ADDR), for example :8080, so a service manager, a container runtime or Prometheus can watch the bot")
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return chat.Warned("http", cfg.HTTPAddr+" is in use", "if helpdesk runs already, that is it; otherwise choose another http.addr")
	}
	if err != nil {
		return chat.Failed("http", err.Error(), "choose an address this host can listen on, for example :8080")
	}
	ln.Close()
	return chat.Passed("http", "serves /healthz, /readyz and /metrics on "+cfg.HTTPAddr)
}

// printChecks writes the checks, a fix under each that failed, and a
// summary; it returns the exit code: 1 when a check failed.
func printChecks(w io.Writer, checks []chat.Check) int {
	// Names longer than the column get a line of their own.
	const maxWidth = 20
	width := 0
	for _, c := range checks {
		if len(c.Name) <= maxWidth {
			width = max(width, len(c.Name))
		}
	}
	fails, warns := 0, 0
	for _, c := range checks {
		label := "ok  "
		switch c.Status {
		case chat.CheckWarn:
			label = "warn"
			warns++
		case chat.CheckFail:
			label = "FAIL"
			fails++
		}
		if len(c.Name) > width {
			fmt.Fprintf(w, "%s  %s\n      %-*s  %s\n", label, c.Name, width, "", c.Detail)
		} else {
			fmt.Fprintf(w, "%s  %-*s  %s\n", label, width, c.Name, c.Detail)
		}
		if c.Fix != "" {
			fmt.Fprintf(w, "      %-*s  → %s\n", width, "", c.Fix)
		}
	}
	switch {
	case fails > 0:
		fmt.Fprintf(w, "\n%s failed, %s. Fix what failed before starting helpdesk.\n", plural(fails, "check"), plural(warns, "warning"))
		return 1
	case warns > 0:
		fmt.Fprintf(w, "\nEvery check passed, with %s.\n", plural(warns, "warning"))
	default:
		fmt.Fprintln(w, "\nEvery check passed.")
	}
	return 0
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
