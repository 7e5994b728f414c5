// Command helpdesk runs the chat-ops IT help desk bot. With no config file it
// runs on embedded defaults: a SQLite database under ./data, the built-in
// knowledge base and the local console chat.
//
//	helpdesk [-config FILE] [-user NAME]     run the bot
//	helpdesk kb search [-k N] "text"         rank KB articles for a text
//	helpdesk kb eval --kb F --queries F      measure KB ranking
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"
)

// env is the outside world of one run, injected so tests drive the real
// program in-process with their own input, output and clock.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	// getenv reads secrets (tokens) and settings from the environment;
	// nil means none.
	getenv func(string) string
	// environ lists the environment (os.Environ), for the doctor to find
	// misspelt variables; nil means none.
	environ func() []string
}

// env reads the variable name, or "" when the env has no getenv.
func (e env) env(name string) string {
	if e.getenv == nil {
		return ""
	}
	return e.getenv(name)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now, getenv: os.Getenv, environ: os.Environ}))
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	if len(args) > 0 {
		switch args[0] {
		case "version":
			return runVersion(args[1:], e)
		case "doctor":
			return runDoctor(ctx, args[1:], e)
		case "backup":
			return runBackup(ctx, args[1:], e)
		case "export":
			return runExport(ctx, args[1:], e)
		case "health":
			return runHealth(ctx, args[1:], e)
		case "report":
			return runReport(ctx, args[1:], e)
		case "kb":
			return runKB(args[1:], e)
		case "intake":
			return runIntake(ctx, args[1:], e)
		case "discord":
			return runDiscord(args[1:], e)
		case "bench":
			return runBench(ctx, args[1:], e)
		case "help", "-h", "-help", "--help":
			if len(args) > 1 && slices.Contains(subcommands, args[1]) {
				// "helpdesk help kb" is "helpdesk kb -h".
				return run(ctx, []string{args[1], "-h"}, e)
			}
			fmt.Fprint(e.stdout, usage)
			return 0
		}
	}
	return serve(ctx, args, e)
}

// subcommands are the first words run dispatches on, for "helpdesk help
// NAME".
var subcommands = []string{"version", "doctor", "backup", "export", "health", "report", "kb", "intake", "discord", "bench"}

// isHelp reports whether arg asks for a command's usage.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

const usage = `helpdesk — a chat-ops IT help desk bot

Usage:
  helpdesk [-config FILE] [-data DIR] [-user NAME] [-name NAME] [-email ADDR]
      Run the bot. Without a config file it uses a SQLite database in ./data,
      the built-in knowledge base and this terminal as the chat.
  helpdesk kb search [-config FILE] [-k N] "text"
      Show the knowledge-base articles ranked for a text, with scores.
  helpdesk kb eval --kb ARTICLES.jsonl --queries QUERIES.jsonl
      Measure ranking: R@1, R@5, MRR@10 and queries per second.
  helpdesk intake eval --cases CASES.jsonl [--out RESULTS.jsonl] [--explain]
      Send each case's text as a first message to a desk on a temporary
      database; write what intake stored and would still ask, and with
      labels print the figures of each field.
  helpdesk discord invite-url [-config FILE] [-app ID]
      Print the OAuth2 URL that adds the bot to a Discord server.
  helpdesk version
      Print the version and commit this binary was built from.
  helpdesk doctor [-config FILE] [-data DIR]
      Check the config, the environment, the database, the knowledge base,
      each platform's tokens and channels, and the LLM server; say what to
      do about each failure. Exit 1 when a check failed.
  helpdesk bench [-employees N] [-reports N] [-rate N] [-latency D] [-limits] [-storm TEXT]
      Load-test the real bot against a fake Slack on loopback; print msgs/s,
      latencies, posts per channel per second, CPU, peak RSS, database size.
  helpdesk backup [-config FILE] [-data DIR] BACKUP.db
      Copy the SQLite database, while the bot runs, to the new file BACKUP.db.
  helpdesk report [-config FILE] [-data DIR] [--since 30d] [--until DATE] [--by category|priority|tier|team|agent] [--format table|csv|json]
      Print the desk's KPIs for the period up to now or DATE (docs/kpis.md).
  helpdesk export [-config FILE] [-data DIR] --ticket N [--format md|json] [--public]
      Write a ticket's transcript (report, fields, replies, internal notes
      unless --public, timeline) to standard output.
  helpdesk health [-addr HOST:PORT] [-ready]
      Ask a running bot's /healthz (or /readyz); exit 0 when it is healthy.

See config.example.yaml for every setting.
`
