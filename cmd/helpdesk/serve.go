package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/user"
	"strings"
	"sync"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/console"
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
	fs := flag.NewFlagSet("helpdesk", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", "YAML config file (default: built-in defaults)")
	dataDir := fs.String("data", "", "data directory for the database and log (overrides data_dir)")
	userID := fs.String("user", "", "console identity (default: your OS user name)")
	name := fs.String("name", "", "console display name")
	email := fs.String("email", "", "console contact address")
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "helpdesk: unexpected argument %q. Run \"helpdesk help\" for usage.\n", fs.Arg(0))
		return 2
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	if *dataDir != "" {
		cfg = cfg.WithDataDir(*dataDir)
	}
	who := consoleUser(cfg, *userID, *name, *email)

	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: data directory: %v\n", err)
		return 1
	}
	logFile := cfg.LogFile
	lf, err := os.OpenFile(logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: log file: %v\n", err)
		return 1
	}
	defer lf.Close()
	log := newLogger(lf, cfg.LogLevel)

	store, shown, err := openStore(ctx, cfg.Database, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: database %s: %v\n", shown, err)
		return 1
	}
	defer store.Close()
	cfg.Database = shown // printed and logged below

	base, source, err := loadKB(cfg.KBDir)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	// Articles published at the desk join the base ones; one that no
	// longer parses is left out and logged, and the rest still serve.
	index, err := kb.OpenLive(ctx, base.Articles(), store)
	if err != nil {
		log.Warn("knowledge base: some published articles were left out", "err", err)
	}

	var disp *outbox.Dispatcher
	opts := bot.Options{Now: e.now, Logger: log, Notify: func() { disp.Wake() }, Articles: store}
	if *configPath != "" {
		// /reload re-reads the same file; agents, teams, SLA and the
		// catalog change at once, while storage and adapters need a restart.
		opts.Reload = func() (bot.Config, error) {
			c, err := config.Load(*configPath)
			return c.Bot, err
		}
	}
	llm, err := newLLMClient(cfg.LLM, e.getenv, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	wireLLM(cfg.LLM, llm, &opts)
	if llm != nil {
		log.Info("llm enabled", "base_url", cfg.LLM.BaseURL, "model", cfg.LLM.Model, "rerank", cfg.LLM.Rerank, "extract", cfg.LLM.Extract, "draft", cfg.LLM.Draft)
	}
	core, err := bot.New(store, index, cfg.Bot, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}
	workers := chat.NewWorkers(cfg.Workers, cfg.MessageTimeout)
	workers.Panicked = func(v any) { log.Error("a message handler panicked; the bot goes on", "panic", fmt.Sprint(v)) }
	defer workers.Close()
	d := deps{core: core, workers: workers, store: store, log: log, now: e.now}
	var ps []*platform
	for _, start := range []func(config.Config, env, deps) (*platform, error){startSlack, startDiscord} {
		p, err := start(cfg, e, d)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
			return 1
		}
		if p != nil {
			ps = append(ps, p)
		}
	}
	senders := map[string]chat.Sender{}
	for _, p := range ps {
		senders[p.name] = p.sender
	}
	var con *console.Console
	if len(ps) == 0 {
		con = console.New(e.stdin, e.stdout, core, workers, who)
		senders[console.Platform] = con
	}
	if _, ok := senders[cfg.Bot.Triage.Platform]; !ok {
		fmt.Fprintf(e.stderr, "helpdesk: triage.platform is %q but that platform is not running; set triage.platform and triage.channel to a channel on a configured platform\n", cfg.Bot.Triage.Platform)
		return 1
	}
	disp = outbox.New(store, senders, e.now, log)
	disp.Poll = 500 * time.Millisecond
	disp.GiveUp = cfg.GiveUpAfter
	sched, err := schedule.New(cfg.Schedule.Location, log, e.now, jobs(cfg, core))
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", err)
		return 1
	}

	dctx, stopDispatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); disp.Run(dctx) }()
	go func() { defer wg.Done(); sched.Run(dctx) }()

	var runErr error
	if con != nil {
		fmt.Fprintf(e.stdout, "helpdesk is running in this terminal as %s.\n  Database: %s\n  Knowledge base: %d articles (%s)\n  Log: %s\nDescribe a problem to report it. /help lists commands, /as dana acts as the demo agent, /quit leaves.\n\n",
			who.Display(), cfg.Database, index.Len(), source, logFile)
		log.Info("started", "database", cfg.Database, "kb_articles", index.Len(), "chat", "console")
		runErr = con.Run(ctx)
	} else {
		names := make([]string, len(ps))
		for i, p := range ps {
			names[i] = p.name
		}
		log.Info("started", "database", cfg.Database, "kb_articles", index.Len(), "chat", strings.Join(names, ","))
		extra := map[string]http.Handler{"GET /metrics": metricsHandler(core, disp, llm)}
		runErr = runPlatforms(ctx, cfg.HTTPAddr, ps, extra, log, func(addr string) {
			fmt.Fprintf(e.stdout, "helpdesk is running on %s.\n  Database: %s\n  Knowledge base: %d articles (%s)\n  Log: %s\n",
				strings.Join(names, " and "), cfg.Database, index.Len(), source, logFile)
			if addr != "" {
				fmt.Fprintf(e.stdout, "  HTTP: http://%s (health at /healthz, Prometheus metrics at /metrics)\n", addr)
			}
			fmt.Fprintln(e.stdout, "Stop it with Ctrl-C.")
		})
	}
	stopDispatch()
	wg.Wait()
	// Deliver what the last messages queued, briefly, so a scripted session
	// sees its notifications; anything left stays in the outbox for next time.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := disp.DeliverDue(fctx); err != nil {
		log.Warn("final outbox delivery", "err", err)
	}
	log.Info("stopped")
	if runErr != nil {
		fmt.Fprintf(e.stderr, "helpdesk: %v\n", runErr)
		return 1
	}
	return 0
}

// jobs are the desk's scheduled jobs at their configured times; a job
// whose spec is "" is off.
func jobs(cfg config.Config, core *bot.Bot) []schedule.Job {
	var out []schedule.Job
	for _, j := range bot.Jobs() {
		if spec := cfg.Schedule.Specs[j.Name]; spec != "" {
			out = append(out, schedule.Job{Name: j.Name, Spec: spec, Run: func(ctx context.Context, at time.Time) error { return core.RunJob(ctx, j, at) }})
		}
	}
	return out
}

// consoleUser is who types in the console: flags, then config, then the OS
// user, so name and contact are never asked in chat.
func consoleUser(cfg config.Config, id, name, email string) tickets.Person {
	p := cfg.ConsoleUser
	if id != "" {
		p.UserID = strings.ToLower(id)
	}
	if p.UserID == "" {
		if u, err := user.Current(); err == nil && u.Username != "" {
			p.UserID = strings.ToLower(u.Username)
		} else if env := os.Getenv("USER"); env != "" {
			p.UserID = strings.ToLower(env)
		} else {
			p.UserID = "employee"
		}
	}
	if name != "" {
		p.Name = name
	}
	if p.Name == "" {
		p.Name = p.UserID
	}
	if email != "" {
		p.Contact = email
	}
	p.Platform = console.Platform
	return p
}

// newLogger writes structured logs at the configured level.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated in config
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// loadKB loads the articles from dir, or the built-in ones when dir is "".
func loadKB(dir string) (*kb.Index, string, error) {
	if dir == "" {
		arts, err := kb.Builtin()
		if err != nil {
			return nil, "", fmt.Errorf("built-in knowledge base: %w", err)
		}
		return kb.NewIndex(arts), "built in", nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, "", fmt.Errorf("knowledge base: kb.dir %s is not a readable directory; create it with your .md articles or remove kb.dir to use the built-in ones", dir)
	}
	arts, err := kb.LoadDir(dir)
	if err != nil {
		return nil, "", fmt.Errorf("knowledge base (kb.dir %s): %w", dir, err)
	}
	if len(arts) == 0 {
		return nil, "", fmt.Errorf("knowledge base: kb.dir %s holds no .md articles; add some or remove kb.dir to use the built-in ones", dir)
	}
	return kb.NewIndex(arts), dir, nil
}
