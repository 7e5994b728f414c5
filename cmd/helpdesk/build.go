package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/console"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/bot/schedule"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/dashboard"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The steps of app.build, in its order.

// openLog creates the data directory and opens the log: standard error,
// or the file the config names.
func (a *app) openLog(context.Context) error {
	if err := os.MkdirAll(a.cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if a.cfg.LogFile == "" {
		a.log = newLogger(a.env.stderr, a.cfg.LogLevel)
		return nil
	}
	lf, err := os.OpenFile(a.cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	a.closers = append(a.closers, func() { lf.Close() })
	a.log = newLogger(lf, a.cfg.LogLevel)
	return nil
}

// listen starts the HTTP server of http.addr, before the database is
// opened, so /readyz answers while migrations run.
func (a *app) listen(context.Context) error {
	if a.cfg.HTTPAddr == "" {
		return nil
	}
	w, err := listenWeb(a.cfg.HTTPAddr, a.log)
	if err != nil {
		return err
	}
	a.closers = append(a.closers, w.close)
	a.web = w
	return nil
}

// openStore opens the database, migrating it to this build's schema.
func (a *app) openStore(ctx context.Context) error {
	s, shown, err := openStore(ctx, a.cfg, a.env)
	if err != nil {
		return fmt.Errorf("database %s: %w", shown, err)
	}
	a.closers = append(a.closers, func() { s.Close() })
	a.store = s
	a.cfg.Database = shown // printed and logged from here on
	if a.web != nil {
		a.web.database.Store(true)
	}
	return nil
}

// kbIndexCache is the file in the data directory that keeps the index of
// a kb.dir between starts (see kb.CachedIndex).
const kbIndexCache = "kb-index.cache"

// openKB loads the knowledge base: the base articles and those published
// at the desk.
func (a *app) openKB(ctx context.Context) error {
	base, source, err := loadKB(a.cfg.KBDir)
	if err != nil {
		return err
	}
	a.kbSource = source
	// Articles published at the desk join the base ones; one that no
	// longer parses is left out and logged, and the rest still serve. The
	// index is built here, once (issue 16: building it for the base
	// articles first doubled the start-up with a large kb.dir). With a
	// kb.dir it is kept in the data directory, and read back at the next
	// start over the same articles by the same build: 2,504 articles take
	// about 0.2 s of CPU to index and some 40 ms to read back. The
	// built-in KB is small enough to index every time. Either way the
	// index is built in the background while the chat connects: a report
	// that comes before it is ready waits for it.
	o := kb.LiveOptions{Logger: a.log, Background: true}
	if a.cfg.KBDir != "" {
		o.CachePath, o.Build = filepath.Join(a.cfg.DataDir, kbIndexCache), buildID
		// A build (the first start, or new articles) collects garbage
		// twice as often, for a lower peak of memory (issue 16).
		o.BuildGCPercent = 50
	}
	if a.index, err = kb.OpenLiveWith(ctx, base, a.store, o); err != nil {
		a.log.Warn("knowledge base: some published articles were left out", "err", err)
	}
	// Closing waits for the build, which may be writing its cache into
	// the data directory after the index is ready.
	ready, settled := a.index.Ready(), a.index.Settled()
	a.closers = append(a.closers, func() { <-settled })
	if a.web != nil {
		a.web.setKB(ready)
	}
	return nil
}

// newCore builds the desk core, with the model of the llm: section if one
// is set.
func (a *app) newCore(context.Context) error {
	opts := bot.Options{Now: a.env.now, Logger: a.log, Notify: func() { a.disp.Wake() }, Articles: a.store}
	if path := a.flags.config; path != "" {
		// /reload re-reads the same file; agents, teams, SLA and the
		// catalog change at once, while storage and adapters need a restart.
		opts.Reload = func() (bot.Config, error) {
			c, err := config.LoadEnv(path, a.env.getenv)
			return c.Bot, err
		}
	}
	var err error
	if a.llm, err = newLLMClient(a.cfg.LLM, a.env.getenv, a.log); err != nil {
		return err
	}
	wireLLM(a.cfg.LLM, a.llm, &opts)
	if a.llm != nil {
		s := a.cfg.LLM
		a.log.Info("llm enabled", "base_url", s.BaseURL, "model", s.Model, "rerank", s.Rerank, "extract", s.Extract, "draft", s.Draft)
	}
	a.core, err = bot.New(a.store, a.index, a.cfg.Bot, opts)
	return err
}

// shutdownWait bounds how long a stop waits for the replies of the events
// being handled to go out; an event still waiting after it is handled
// again by the next run.
const shutdownWait = 15 * time.Second

// waitInbox waits, at shutdown, for the events this run handled to be
// recorded handled, so the next run does not answer them again.
func (a *app) waitInbox() {
	if a.inbox == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	if err := a.inbox.Wait(ctx); err != nil {
		a.log.Warn("stopping before every event was recorded handled; the next run handles those again", "err", err)
	}
}

// startChat builds the worker pool and the chat: Slack and Discord when
// their tokens are set, else the console.
func (a *app) startChat(context.Context) error {
	a.workers = chat.NewWorkers(a.cfg.Workers, a.cfg.MessageTimeout)
	a.workers.Panicked = func(v any) { a.log.Error("a message handler panicked; the bot goes on", "panic", fmt.Sprint(v)) }
	// Closed last first: the workers, then the wait for the events they
	// handled to be recorded handled (their replies posted or in the
	// outbox), then the store.
	a.closers = append(a.closers, a.waitInbox, a.workers.Close)
	// An event's claim must outlast its handling (the workers' timeout)
	// and its replies (an event is finished once they are posted or in
	// the outbox, chat.ReplyTimeout after they were queued at most), or a
	// slow one would be handled, and answered, twice; after a crash it is
	// handled again once the claim runs out.
	a.inbox = chat.NewInbox(a.store, a.workers, chat.InboxOptions{Lease: inboxLease(a.cfg.MessageTimeout), Now: a.env.now, Logger: a.log})
	wake := func() {
		if a.disp != nil {
			a.disp.Wake()
		}
	}
	d := deps{core: a.core, workers: a.workers, inbox: a.inbox, wakeOutbox: wake, store: a.store, log: a.log, now: a.env.now, acks: a.ackLatency}
	for _, start := range []func(config.Config, env, deps) (*platform, error){startSlack, startDiscord} {
		p, err := start(a.cfg, a.env, d)
		if err != nil {
			return err
		}
		if p != nil {
			a.platforms = append(a.platforms, p)
		}
	}
	if len(a.platforms) == 0 {
		a.who = consoleUser(a.cfg, a.flags.user, a.flags.name, a.flags.email)
		a.console = console.New(a.env.stdin, a.env.stdout, a.core, a.workers, a.who)
	}
	if _, ok := a.senders()[a.cfg.Bot.Triage.Platform]; !ok {
		// config.LoadEnv checks this already; the outbox could not deliver.
		return fmt.Errorf("triage.platform is %q but that platform is not running; set triage.platform and triage.channel to a channel on a configured platform", a.cfg.Bot.Triage.Platform)
	}
	if err := needAddr(a.cfg.HTTPAddr, a.platforms); err != nil {
		return err
	}
	if a.web != nil {
		var chats []*probe
		for _, p := range a.platforms {
			if len(p.routes) > 0 { // no empty http series for Socket Mode or a gateway-only Discord
				a.web.handle(timedRoutes(p.routes, a.ackLatency(p.name, transportHTTP)))
			}
			chats = append(chats, &probe{name: p.name, health: p.health})
		}
		if a.console != nil {
			chats = append(chats, &probe{name: console.Platform})
		}
		a.web.setChats(chats)
	}
	return nil
}

// senders are the running chats by platform name, for the outbox.
func (a *app) senders() map[string]chat.Sender {
	out := map[string]chat.Sender{}
	for _, p := range a.platforms {
		out[p.name] = p.sender
	}
	if a.console != nil {
		out[console.Platform] = a.console
	}
	return out
}

// newDispatcher builds the outbox dispatcher that delivers what the desk
// queues.
func (a *app) newDispatcher(context.Context) error {
	a.disp = outbox.New(a.store, a.senders(), a.env.now, a.log)
	a.disp.Poll = 500 * time.Millisecond
	a.disp.GiveUp = a.cfg.GiveUpAfter
	if a.console != nil {
		a.console.Settle = func(ctx context.Context) {
			if _, err := a.disp.DeliverDue(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("outbox", "err", err)
			}
		}
	}
	if a.web != nil {
		a.web.handle(map[string]http.Handler{"GET /metrics": metricsHandler(metricsDeps{core: a.core, disp: a.disp, llm: a.llm, store: a.store, now: a.env.now, log: a.log, acks: a.acks})})
		a.serveDashboard()
	} else if strings.TrimSpace(a.env.env(config.EnvDashboardToken)) != "" {
		a.log.Warn("web dashboard off: " + config.EnvDashboardToken + " is set but http.addr is empty; set http.addr (for example :8080) to serve it")
	}
	return nil
}

// serveDashboard serves the web dashboard on http.addr when
// HELPDESK_DASHBOARD_TOKEN is set; without a token it is off, and a
// request for it is answered 404 like any other unknown path.
func (a *app) serveDashboard() {
	token := strings.TrimSpace(a.env.env(config.EnvDashboardToken))
	if token == "" {
		a.log.Info("web dashboard off: " + config.EnvDashboardToken + " is not set")
		return
	}
	loc := a.cfg.Schedule.Location // business hours count in it too
	a.web.handle(map[string]http.Handler{"GET " + dashboard.Path: dashboard.New(dashboard.Deps{
		Source: a.store, Options: a.core.KPIOptions, Now: a.env.now, Token: token, Location: loc, Log: a.log,
		Title: func(id string) string {
			if art, ok := a.index.Article(id); ok {
				return art.Title
			}
			return ""
		},
	})})
	a.log.Info("web dashboard on", "path", dashboard.Path)
}

// newScheduler builds the runner of the desk's jobs at their configured
// times; a job whose spec is "" is off.
func (a *app) newScheduler(context.Context) error {
	var jobs []schedule.Job
	for _, j := range bot.Jobs() {
		if spec := a.cfg.Schedule.Specs[j.Name]; spec != "" {
			jobs = append(jobs, schedule.Job{Name: j.Name, Spec: spec, Run: func(ctx context.Context, at time.Time) error { return a.core.RunJob(ctx, j, at) }})
		}
	}
	var err error
	a.sched, err = schedule.New(a.cfg.Schedule.Location, a.log, a.env.now, jobs)
	return err
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

// loadKB loads the articles from dir, or the built-in ones when dir is "";
// the caller builds the index it needs over them.
func loadKB(dir string) ([]kb.Article, string, error) {
	if dir == "" {
		arts, err := kb.Builtin()
		if err != nil {
			return nil, "", fmt.Errorf("built-in knowledge base: %w", err)
		}
		return arts, "built in", nil
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
	return arts, dir, nil
}

// inboxLease is how long a claimed event is one worker's: twice the
// handler's limit (at least 30 s) plus the replies' limit and a margin
// for handing them to the outbox.
func inboxLease(messageTimeout time.Duration) time.Duration {
	return max(2*messageTimeout, 30*time.Second) + chat.ReplyTimeout + 10*time.Second
}
