package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// runExport runs "helpdesk export --ticket N --format md|json": a ticket's
// transcript on standard output, internal notes included unless --public
// asks for the requester's copy.
func runExport(ctx context.Context, args []string, e env) int {
	flags := flag.NewFlagSet("helpdesk export", flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	cf := addConfigFlags(flags)
	id := flags.Int64("ticket", 0, "the ticket number")
	format := flags.String("format", "md", "md (markdown) or json")
	public := flags.Bool("public", false, "the requester's copy: without internal notes, handoff notes and flags")
	flags.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: helpdesk export [-config FILE] [-data DIR] --ticket N [--format md|json] [--public]\n  Write a ticket's transcript (report, fields, replies, internal notes, timeline) to standard output.\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	switch {
	case flags.NArg() > 0:
		fmt.Fprintf(e.stderr, "helpdesk export: %q is not an option; give the ticket as --ticket N\n", flags.Arg(0))
		return 2
	case *id <= 0:
		fmt.Fprint(e.stderr, "helpdesk export: which ticket? Give its number: helpdesk export --ticket 12\n")
		return 2
	case *format != "md" && *format != "json":
		fmt.Fprintf(e.stderr, "helpdesk export: --format %q is not a format; use md (markdown) or json\n", *format)
		return 2
	}
	cfg, err := cf.load(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk export: %v\n", err)
		return 1
	}
	if !hasDatabase(cfg.Database, e) {
		fmt.Fprintf(e.stderr, "helpdesk export: there is no database at %s; check -data, data_dir or database\n", cfg.Database)
		return 1
	}
	st, shown, err := openStore(ctx, cfg, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk export: database %s: %v\n", shown, err)
		return 1
	}
	defer st.Close()
	core, err := bot.New(st, nil, cfg.Bot, bot.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk export: %v\n", err)
		return 1
	}
	tr, err := core.Transcript(ctx, *id, !*public)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		fmt.Fprintf(e.stderr, "helpdesk export: there is no ticket #%d in %s\n", *id, shown)
		return 1
	} else if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk export: %v\n", err)
		return 1
	}
	if *format == "json" {
		out, err := json.MarshalIndent(tr, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "helpdesk export: %v\n", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "%s\n", out)
		return 0
	}
	fmt.Fprint(e.stdout, tr.Markdown())
	return 0
}
