package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/console"
	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/bot/schedule"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// serve runs the bot until the input ends or a signal arrives.
func serve(ctx context.Context, args []string, e env) int {
	f, ok := parseServeFlags(args, e)
	if !ok {
		return 2
	}
	cfg, err := config.LoadEnv(f.config, e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	if f.dataDir != "" {
		cfg = cfg.WithDataDir(f.dataDir)
	}
	a := &app{cfg: cfg, flags: f, env: e}
	defer a.close()
	if err := a.build(ctx); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	if err := a.run(ctx); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	return 0
}

// serveFlags are the command line of a run of the bot.
type serveFlags struct {
	config, dataDir   string
	user, name, email string // who types in the console
}

// parseServeFlags reads the command line; false means it was wrong, and
// what is wrong has been printed.
func parseServeFlags(args []string, e env) (serveFlags, bool) {
	var f serveFlags
	fs := flag.NewFlagSet("helpdesk", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.config, "config", "", "YAML config file (default: built-in defaults)")
	fs.StringVar(&f.dataDir, "data", "", "data directory for the database and log (overrides data_dir)")
	fs.StringVar(&f.user, "user", "", "console identity (default: your OS user name)")
	fs.StringVar(&f.name, "name", "", "console display name")
	fs.StringVar(&f.email, "email", "", "console contact address")
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	if err := fs.Parse(args); err != nil {
		return f, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "helpdesk: unexpected argument %q. Run \"helpdesk help\" for usage.\n", fs.Arg(0))
		return f, false
	}
	return f, true
}

// app is one run of the help desk: the parts serve builds from the config,
// in the order build makes them, and what close undoes.
type app struct {
	cfg   config.Config
	flags serveFlags
	env   env

	log      *slog.Logger
	web      *web // nil when http.addr is empty
	store    store
	index    *kb.Live
	kbSource string         // where the base articles came from, for the banner
	llm      *openai.Client // nil when the bot is offline
	core     *bot.Bot
	workers  *chat.Workers
	// inbox records the platforms' events before they are acknowledged
	// and hands them to the workers.
	inbox *chat.Inbox
	// platforms are Slack and Discord, those configured; with neither the
	// console is the chat.
	platforms []*platform
	console   *console.Console
	who       tickets.Person // who types in the console
	disp      *outbox.Dispatcher
	sched     *schedule.Runner
	closers   []func() // what close undoes, in the order it was made
	// acks time each platform's acknowledgements, by transport, for
	// /metrics (ackLatency).
	acks map[ackKey]*chat.Latency
}

// build makes the desk's parts, each step from those before it.
func (a *app) build(ctx context.Context) error {
	for _, step := range []func(context.Context) error{
		a.openLog, a.listen, a.openStore, a.openKB, a.newCore, a.startChat, a.newDispatcher, a.newScheduler,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// close releases what build made, last first.
func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

// run serves the chat until ctx ends (or the console's input does), with
// the outbox dispatcher and the scheduled jobs running beside it; then it
// delivers what the last messages queued.
func (a *app) run(ctx context.Context) error {
	background, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { a.checkPlatforms(background) })
	wg.Go(func() { a.disp.Run(background) })
	wg.Go(func() { a.sched.Run(background) })
	wg.Go(func() { a.inbox.Run(background) })
	err := a.chat(ctx)
	if a.web != nil {
		a.web.close() // no new work while the rest winds down
	}
	stop()
	wg.Wait()
	a.flush(ctx)
	a.log.Info("stopped")
	return err
}

// chat runs the console, or the platforms and the HTTP server, until ctx
// ends, after telling the person who started it where everything is.
func (a *app) chat(ctx context.Context) error {
	logTo := a.cfg.LogFile
	if logTo == "" {
		logTo = "standard error"
	}
	where := fmt.Sprintf("  Database: %s\n  Knowledge base: %d articles (%s)\n  Log: %s\n", a.cfg.Database, a.index.Len(), a.kbSource, logTo)
	if a.web != nil {
		where += fmt.Sprintf("  HTTP: http://%s (health at /healthz and /readyz, Prometheus metrics at /metrics)\n", a.web.addr)
	}
	if a.console != nil {
		fmt.Fprintf(a.env.stdout, "helpdesk is running in this terminal as %s.\n%sDescribe a problem to report it. /help lists commands, %s, /quit leaves.\n\n", a.who.Display(), where, consoleAgents(a.cfg.Bot.Agents))
		a.log.Info("started", "database", a.cfg.Database, "kb_articles", a.index.Len(), "chat", "console")
		// A report left mid-way by the last run goes on where it stopped.
		if q, ok := a.core.PendingQuestion(ctx, tickets.Place{Platform: console.Platform, ChannelID: console.Channel}, a.who); ok {
			fmt.Fprintf(a.env.stdout, "bot: Where we left off — %s\n\n", q)
		}
		return a.console.Run(ctx)
	}
	names := make([]string, len(a.platforms))
	for i, p := range a.platforms {
		names[i] = p.name
	}
	a.log.Info("started", "database", a.cfg.Database, "kb_articles", a.index.Len(), "chat", strings.Join(names, ","))
	fmt.Fprintf(a.env.stdout, "helpdesk is running on %s.\n%sStop it with Ctrl-C.\n", strings.Join(names, " and "), where)
	return runPlatforms(ctx, a.platforms)
}

// flush delivers what the last messages queued, briefly, so a scripted
// session sees its notifications; anything left stays in the outbox for
// next time.
func (a *app) flush(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := a.disp.DeliverDue(ctx); err != nil {
		a.log.Warn("final outbox delivery", "err", err)
	}
}

// consoleAgents says which /as NAME plays an agent in the console, from
// the config's console:NAME ids: "/as dana (tier 1) or /as sam (tier 2)
// plays an agent" on the defaults.
func consoleAgents(agents []bot.Agent) string {
	var as []string
	for _, ag := range agents {
		role := fmt.Sprintf("tier %d", ag.Tier)
		if ag.Role != bot.RoleAgent {
			role = string(ag.Role)
		}
		for _, id := range ag.IDs {
			if name, ok := strings.CutPrefix(id, console.Platform+":"); ok {
				as = append(as, fmt.Sprintf("/as %s (%s)", name, role))
			}
		}
	}
	if len(as) == 0 {
		return "no agent in the config has a console:NAME id for /as to play"
	}
	return joinOr(as) + " plays an agent"
}

// joinOr joins "a", "a or b", "a, b or c".
func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
