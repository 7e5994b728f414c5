package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// runReport runs "helpdesk report": the KPIs of the last period, for the
// desk and by a breakdown, as a table, CSV or JSON (docs/kpis.md).
func runReport(ctx context.Context, args []string, e env) int {
	flags := flag.NewFlagSet("helpdesk report", flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	cf := addConfigFlags(flags)
	since := flags.String("since", "30d", "the period up to now: 24h, 7d, 30d, 4w")
	by := flags.String("by", "", "break the figures down by category, priority, tier, team or agent")
	format := flags.String("format", "table", "table, csv or json")
	until := flags.String("until", "", "end the period here instead of now, to recompute a past one: 2026-10-31 (midnight, in the desk's time zone) or 2026-10-31T17:00:00Z")
	flags.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: helpdesk report [-config FILE] [-data DIR] [--since 30d] [--until DATE] [--by category|priority|tier|team|agent] [--format table|csv|json]\n  Print the desk's KPIs for the period up to now, or up to --until (docs/kpis.md defines them).\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "helpdesk report: "+format+"\n", a...)
		return 2
	}
	if flags.NArg() > 0 {
		return fail("unexpected %q; give the options as --since 30d --by category --format table", flags.Arg(0))
	}
	period, err := kpi.ParsePeriod(*since)
	if err != nil {
		return fail("--since: %v", err)
	}
	dim := kpi.None
	if *by != "" {
		if dim, err = kpi.ParseDimension(*by); err != nil {
			return fail("--by: %v", err)
		}
	}
	write, ok := reportFormats[*format]
	if !ok {
		return fail("--format: %q is not a format; use table, csv or json", *format)
	}
	cfg, err := cf.load(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk report: %v\n", err)
		return 1
	}
	if db := cfg.Database; e.env(databaseURLEnv) == "" && !isPostgresURL(db) {
		// Opening a SQLite file that is not there would make an empty
		// desk and report on it.
		if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(e.stderr, "helpdesk report: there is no database at %s; check -data, data_dir or database (the bot creates it when it first runs)\n", db)
			return 1
		}
	}
	s, shown, err := openStore(ctx, cfg, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk report: database %s: %v\n", shown, err)
		return 1
	}
	defer s.Close()
	to := e.now()
	if *until != "" {
		loc := cfg.Schedule.Location // business hours count in it too
		t, err := time.ParseInLocation(time.DateOnly, *until, loc)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, *until); err != nil {
				return fail("--until: %q is not a date; write it like 2026-10-31 or 2026-10-31T17:00:00Z", *until)
			}
		}
		if t.After(to) {
			return fail("--until: %s is in the future; leave --until out for a period up to now", *until)
		}
		to = t
	}
	from := to.Add(-period)
	h, err := kpi.Load(ctx, s, from)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk report: %v\n", err)
		return 1
	}
	r := kpi.Compute(h, from, to, dim, kpi.Options{Calendar: cfg.Bot.Calendar, SLA: cfg.Bot.SLA, Agent: agentNames(cfg.Bot)})
	if err := write(e.stdout, r); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk report: %v\n", err)
		return 1
	}
	return 0
}

// agentNames maps an agent's Person key to their name in config, leaving
// other keys as they are.
func agentNames(c bot.Config) func(string) string {
	m := map[string]string{}
	for _, a := range c.Agents {
		for _, id := range a.IDs {
			m[id] = a.Name
		}
	}
	return func(key string) string {
		if n, ok := m[key]; ok {
			return n
		}
		return key
	}
}

var reportFormats = map[string]func(io.Writer, *kpi.Report) error{
	"table": writeReportTable,
	"csv":   writeReportCSV,
	"json": func(w io.Writer, r *kpi.Report) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	},
}

// reportRows are the report's rows: the whole desk first, then each group.
func reportRows(r *kpi.Report) []kpi.Group {
	rows := []kpi.Group{{Key: "all", Figures: r.Total}}
	return append(rows, r.Groups...)
}

var tableHeader = []string{"", "opened", "resolved", "self-served", "FCR", "resolve mean", "resolve median", "1st response median",
	"handling mean", "CSAT", "rated", "SLA response", "SLA resolution", "deflection", "reopen", "escalation", "backlog", "oldest"}

func writeReportTable(w io.Writer, r *kpi.Report) error {
	fmt.Fprintf(w, "KPIs from %s to %s", r.From.Format("Mon 2 Jan 2006 15:04"), r.To.Format("Mon 2 Jan 2006 15:04"))
	if r.By != kpi.None {
		fmt.Fprintf(w, ", by %s", r.By)
	}
	fmt.Fprint(w, " (docs/kpis.md defines each)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	line := func(cells []string) {
		for _, c := range cells {
			fmt.Fprint(tw, c, "\t")
		}
		fmt.Fprintln(tw)
	}
	line(tableHeader)
	for _, g := range reportRows(r) {
		f := g.Figures
		line([]string{g.Key, strconv.Itoa(f.Opened), strconv.Itoa(f.Resolved), strconv.Itoa(f.SelfServed), f.FCR.String(),
			kpi.Short(f.Resolution.Mean, f.Resolution.N), kpi.Short(f.Resolution.Median, f.Resolution.N), kpi.Short(f.FirstResponse.Median, f.FirstResponse.N),
			kpi.Short(f.Handling.Mean, f.Handling.N), f.CSAT.String(), f.CSATResponse.String(), f.SLAResponse.String(), f.SLAResolution.String(),
			f.Deflection.String(), f.Reopen.String(), f.Escalation.String(), strconv.Itoa(f.Backlog), kpi.Short(f.Age.Max, f.Age.N)})
	}
	return tw.Flush()
}

// writeReportCSV writes numbers a spreadsheet reads: shares from 0 to 1,
// durations in hours, empty where there is nothing to divide.
func writeReportCSV(w io.Writer, r *kpi.Report) error {
	cw := csv.NewWriter(w)
	key := "group"
	if r.By != kpi.None {
		key = string(r.By)
	}
	_ = cw.Write([]string{key, "from", "to", "opened", "resolved", "self_served", "linked", "fcr", "fcr_tickets", "resolution_mean_h", "resolution_median_h",
		"first_response_mean_h", "first_response_median_h", "handling_mean_h", "csat", "csat_response", "sla_response", "sla_resolution",
		"deflection", "reopen", "escalation", "backlog", "age_mean_h", "age_max_h"})
	share := func(r kpi.Ratio) string {
		if v, ok := r.Value(); ok {
			return strconv.FormatFloat(v, 'f', 4, 64)
		}
		return ""
	}
	hours := func(d time.Duration, n int) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatFloat(d.Hours(), 'f', 3, 64)
	}
	for _, g := range reportRows(r) {
		f := g.Figures
		csat := ""
		if v, ok := f.CSAT.Value(); ok {
			csat = strconv.FormatFloat(v, 'f', 2, 64)
		}
		_ = cw.Write([]string{g.Key, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339),
			strconv.Itoa(f.Opened), strconv.Itoa(f.Resolved), strconv.Itoa(f.SelfServed), strconv.Itoa(f.Linked), share(f.FCR), share(f.FCRTickets),
			hours(f.Resolution.Mean, f.Resolution.N), hours(f.Resolution.Median, f.Resolution.N),
			hours(f.FirstResponse.Mean, f.FirstResponse.N), hours(f.FirstResponse.Median, f.FirstResponse.N), hours(f.Handling.Mean, f.Handling.N),
			csat, share(f.CSATResponse), share(f.SLAResponse), share(f.SLAResolution), share(f.Deflection), share(f.Reopen), share(f.Escalation),
			strconv.Itoa(f.Backlog), hours(f.Age.Mean, f.Age.N), hours(f.Age.Max, f.Age.N)})
	}
	cw.Flush()
	return cw.Error()
}
