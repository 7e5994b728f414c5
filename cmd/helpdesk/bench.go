package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/loadtest"
)

const benchUsage = `Usage: helpdesk bench [flags]
  Run the real bot against a fake Slack (or, with -platform discord, a fake
  Discord) on loopback and drive simulated
  employees through whole conversations (report, KB offer, "Still broken",
  the questions, the ticket) and agents through claims and resolutions.
  Prints messages/s, p50/p99 event→ack and event→reply, posts per channel
  per second, CPU, peak RSS and the database size.

Flags:
`

// runBench is "helpdesk bench": the load tool.
func runBench(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("helpdesk bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o := loadtest.Options{Platform: "slack"}
	fs.StringVar(&o.Platform, "platform", "slack", "the chat to drive: slack or discord")
	fs.IntVar(&o.Employees, "employees", 200, "conversations at once")
	fs.IntVar(&o.Reports, "reports", 1000, "conversations in all, each by a new employee")
	fs.Float64Var(&o.Rate, "rate", 0, "employee messages per second, all together (0: as fast as the bot answers)")
	fs.IntVar(&o.Agents, "agents", 4, "agents claiming and resolving the tickets")
	fs.DurationVar(&o.Think, "think", 2*time.Second, "how long an employee takes to read an answer and write the next message")
	fs.DurationVar(&o.DrainWait, "drain-wait", time.Minute, "after the last conversation, the longest to wait for the bot's outbox to drain")
	fs.DurationVar(&o.Latency, "latency", 0, "the fake API's round trip, like 50ms")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "the longest the run may take")
	fs.StringVar(&o.Storm, "storm", "", `an outage: open a major incident on this report, then every employee sends it once (like "VPN is down")`)
	limits := fs.Bool("limits", false, "enforce the platform's rate limits: Slack's 1 post/s per channel (burst 3) and method tiers; Discord's 50 requests/s, 5 messages per 5 s per channel and per-route buckets; 429 with Retry-After")
	perChannel := fs.Float64("channel-rate", 1, "with -limits on Slack: posts per second per channel")
	global := fs.Float64("global-rate", 0, "with -limits on Slack: Web API calls per second in all (0: no such limit)")
	workers := fs.Int("workers", 0, "the bot's worker pool (0: the config's default)")
	sync := fs.String("sqlite-sync", "", "the database's sqlite.synchronous, full or normal (default: the config's, full)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run (bot, fake and employees together) to this file, for go tool pprof")
	traceFile := fs.String("trace", "", "write an execution trace of the run to this file, for go tool trace (-pprof=sync shows where goroutines waited)")
	keep := fs.String("data", "", "keep the bot's database and log in this directory (default: a temporary one, removed)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, benchUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "helpdesk bench: unexpected argument %q; every setting is a flag (helpdesk bench -h lists them)\n", fs.Arg(0))
		return 2
	}
	if *limits {
		o.Limits = slackfake.Limits{PerChannel: slackfake.Rate{PerSecond: *perChannel, Burst: 3}, Tiers: slackfake.SlackTiers()}
		if *global > 0 {
			o.Limits.Global = slackfake.Rate{PerSecond: *global, Burst: int(*global)}
		}
	}
	o.DataDir = *keep
	if o.DataDir == "" {
		dir, err := os.MkdirTemp("", "helpdesk-bench-")
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk bench: %v\n", err)
			return 1
		}
		defer os.RemoveAll(dir)
		o.DataDir = dir
	} else if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk bench: -data: %v\n", err)
		return 1
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk bench: -cpuprofile: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(e.stderr, "helpdesk bench: -cpuprofile: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if *traceFile != "" {
		f, err := os.Create(*traceFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk bench: -trace: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			fmt.Fprintf(e.stderr, "helpdesk bench: -trace: %v\n", err)
			return 1
		}
		defer trace.Stop()
	}
	run := loadtest.Run
	if o.Platform == "discord" {
		run = discordBench(*limits)
	}
	rep, err := run(ctx, o, benchBot(o.DataDir, benchSettings{workers: *workers, sync: *sync}, e))
	if rep != nil {
		rep.Print(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk bench: %v\n", err)
		return 1
	}
	return 0
}

// benchSettings are the bot's config settings a bench flag changes; zero
// values keep the config's defaults.
type benchSettings struct {
	workers int
	sync    string // sqlite.synchronous
}

// benchBot runs the real program (serve) in this process against the
// target: a config file in dir naming the triage channel and the agents,
// and an environment holding the fake's tokens and URL.
func benchBot(dir string, set benchSettings, e env) loadtest.Start {
	return func(ctx context.Context, t loadtest.Target) (func() error, error) {
		var agents []string
		for i, id := range t.Agents {
			agents = append(agents, fmt.Sprintf("  - {name: Agent %d, ids: [\"%s:%s\"], tier: 2}", i+1, t.Platform, id))
		}
		cfg := fmt.Sprintf("triage: {channel: %s}\nlog: {level: warn, file: %q}\nagents:\n%s\n",
			t.Triage, filepath.Join(dir, "helpdesk.log"), strings.Join(agents, "\n"))
		if set.workers > 0 {
			cfg += fmt.Sprintf("workers: %d\n", set.workers)
		}
		if set.sync != "" {
			cfg += fmt.Sprintf("sqlite: {synchronous: %s}\n", set.sync)
		}
		path := filepath.Join(dir, "bench.yaml")
		if err := os.WriteFile(path, []byte(cfg+t.Settings), 0o600); err != nil {
			return nil, fmt.Errorf("write the bench config: %w", err)
		}
		be := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: e.stderr, now: e.now,
			getenv: func(name string) string { return t.Env[name] }}
		done := make(chan int, 1)
		go func() { done <- serve(ctx, []string{"-config", path, "-data", dir}, be) }()
		return func() error {
			if code := <-done; code != 0 {
				return fmt.Errorf("helpdesk exited with %d (its log: %s)", code, filepath.Join(dir, "helpdesk.log"))
			}
			return nil
		}, nil
	}
}
