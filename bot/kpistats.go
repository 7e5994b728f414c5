package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// defaultStatsPeriod is what /stats covers without a period.
const defaultStatsPeriod = 7 * 24 * time.Hour

// kpiStats runs "/stats [period]": managers and admins get the desk's KPIs
// for the period up to now, each with its change against the period
// before; an agent gets their own (docs/kpis.md defines them).
func (b *Bot) kpiStats(ctx context.Context, r request) ([]chat.Reply, error) {
	period := defaultStatsPeriod
	if arg := strings.TrimSpace(r.args); arg != "" {
		p, err := kpi.ParsePeriod(arg)
		var length *kpi.PeriodLengthError
		switch {
		case errors.As(err, &length) || err == nil && (p < time.Hour || p > 366*24*time.Hour):
			return nil, tickets.Errorf(tickets.EINVALID, "/stats shows periods from an hour to a year: give one like 24h, 7d or 30d (for longer, run helpdesk report --since on the server). Usage: %s", r.cmd.usage())
		case err != nil:
			return nil, tickets.Errorf(tickets.EINVALID, "I can't read %q as a period: write it like 24h, 7d, 30d or 4w. Usage: %s", arg, r.cmd.usage())
		}
		period = p
	}
	cfg := b.conf()
	now := b.now()
	from, prevFrom := now.Add(-period), now.Add(-2*period)
	h, err := kpi.Load(ctx, b.store, prevFrom)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	opt := b.KPIOptions()
	span := fmt.Sprintf("last %s (%s – %s), change against the %s before", kpi.Describe(period),
		from.In(b.loc()).Format("Mon 2 Jan 15:04"), now.In(b.loc()).Format("Mon 2 Jan 15:04"), kpi.Describe(period))
	if r.a.seesAll() {
		cur := kpi.Compute(h, from, now, kpi.None, opt).Total
		prev := kpi.Compute(h, prevFrom, from, kpi.None, opt).Total
		return []chat.Reply{{Text: "Desk KPIs, " + span + ":\n" + deskSummary(cur, prev), Ephemeral: true}}, nil
	}
	me := cfg.agentLabel(r.m.User.Key())
	cur := agentRow(kpi.Compute(h, from, now, kpi.Agent, opt), me)
	prev := agentRow(kpi.Compute(h, prevFrom, from, kpi.Agent, opt), me)
	return []chat.Reply{{Text: "Your KPIs, " + span + ":\n" + agentSummary(cur, prev) +
		"\n(Managers see the whole desk's; docs/kpis.md says how each is counted.)", Ephemeral: true}}, nil
}

// KPIOptions are what the desk's KPIs count with now: the business hours
// and SLA targets of the running config (after any /reload), and agents
// named as the config names them.
func (b *Bot) KPIOptions() kpi.Options {
	cfg := b.conf()
	return kpi.Options{Calendar: cfg.Calendar, SLA: cfg.SLA, Agent: cfg.agentLabel}
}

// loc is the desk's time zone, for showing times: the business hours',
// else the schedule's.
func (b *Bot) loc() *time.Location {
	cfg := b.conf()
	if c := cfg.Calendar; c != nil && c.Location != nil {
		return c.Location
	}
	if cfg.Location != nil {
		return cfg.Location
	}
	return time.Local
}

// deskNow is now on the desk's clock. The times people say ("since this
// morning", "at 3pm") are on it: read on a server's UTC clock, "this
// morning" said at 09:30 in Tokyo would be 00:30 UTC, not yet morning.
func (b *Bot) deskNow() time.Time { return b.now().In(b.loc()) }

// when shows t on the desk's clock, in layout. Times come back from the
// store in UTC; a deadline shown as stored reads an hour or more off to
// a desk in Berlin.
func (b *Bot) when(t time.Time, layout string) string {
	return t.In(b.loc()).Format(layout)
}

// agentLabel names the agent a person key belongs to, so one agent's IDs
// on several platforms count together; other keys stay as they are.
func (c *Config) agentLabel(key string) string {
	for _, a := range c.Agents {
		for _, id := range a.IDs {
			if id == key {
				return a.Name
			}
		}
	}
	return key
}

func agentRow(r *kpi.Report, who string) kpi.Figures {
	for _, g := range r.Groups {
		if g.Key == who {
			return g.Figures
		}
	}
	return kpi.Figures{}
}

func deskSummary(f, p kpi.Figures) string {
	lines := []string{
		fmt.Sprintf("Opened %d%s · resolved %d%s · self-served %d%s", f.Opened, countDelta(f.Opened, p.Opened),
			f.Resolved, countDelta(f.Resolved, p.Resolved), f.SelfServed, countDelta(f.SelfServed, p.SelfServed)),
		fmt.Sprintf("First contact resolution %s%s · deflection %s%s", f.FCR, ratioDelta(f.FCR, p.FCR), f.Deflection, ratioDelta(f.Deflection, p.Deflection)),
		fmt.Sprintf("Time to resolve: median %s%s, mean %s", kpi.Short(f.Resolution.Median, f.Resolution.N), durDelta(f.Resolution.Median, f.Resolution.N, p.Resolution.Median, p.Resolution.N), kpi.Short(f.Resolution.Mean, f.Resolution.N)),
		fmt.Sprintf("First response: median %s%s · handling: mean %s%s", kpi.Short(f.FirstResponse.Median, f.FirstResponse.N), durDelta(f.FirstResponse.Median, f.FirstResponse.N, p.FirstResponse.Median, p.FirstResponse.N),
			kpi.Short(f.Handling.Mean, f.Handling.N), durDelta(f.Handling.Mean, f.Handling.N, p.Handling.Mean, p.Handling.N)),
		fmt.Sprintf("SLA met: response %s%s, resolution %s%s", f.SLAResponse, ratioDelta(f.SLAResponse, p.SLAResponse), f.SLAResolution, ratioDelta(f.SLAResolution, p.SLAResolution)),
		csatLine(f, p),
		fmt.Sprintf("Reopened %s%s · escalated %s%s", f.Reopen, ratioDelta(f.Reopen, p.Reopen), f.Escalation, ratioDelta(f.Escalation, p.Escalation)),
		fmt.Sprintf("Backlog now %d%s, oldest %s", f.Backlog, countDelta(f.Backlog, p.Backlog), kpi.Short(f.Age.Max, f.Age.N)),
	}
	return "  " + strings.Join(lines, "\n  ")
}

func agentSummary(f, p kpi.Figures) string {
	lines := []string{
		fmt.Sprintf("Resolved %d%s · first contact %s%s · reopened %s", f.Resolved, countDelta(f.Resolved, p.Resolved), f.FCRTickets, ratioDelta(f.FCRTickets, p.FCRTickets), f.Reopen),
		fmt.Sprintf("Time to resolve: median %s%s · your handling: mean %s%s", kpi.Short(f.Resolution.Median, f.Resolution.N), durDelta(f.Resolution.Median, f.Resolution.N, p.Resolution.Median, p.Resolution.N),
			kpi.Short(f.Handling.Mean, f.Handling.N), durDelta(f.Handling.Mean, f.Handling.N, p.Handling.Mean, p.Handling.N)),
		fmt.Sprintf("SLA resolution met %s%s · %s", f.SLAResolution, ratioDelta(f.SLAResolution, p.SLAResolution), csatLine(f, p)),
		fmt.Sprintf("Open with you now %d, oldest %s", f.Backlog, kpi.Short(f.Age.Max, f.Age.N)),
	}
	return "  " + strings.Join(lines, "\n  ")
}

func csatLine(f, p kpi.Figures) string {
	if f.CSAT.N == 0 {
		return "CSAT: no ratings"
	}
	return fmt.Sprintf("CSAT %s of 5%s from %d %s (%s of resolved)", f.CSAT, meanDelta(f.CSAT, p.CSAT), f.CSAT.N, plural(f.CSAT.N, "rating", "ratings"), f.CSATResponse)
}

// signed writes a change as " (+x)", " (−x)" or " (same)", with show
// writing its size.
func signed[T int | float64 | time.Duration](d T, show func(T) string) string {
	switch {
	case d > 0:
		return " (+" + show(d) + ")"
	case d < 0:
		return " (−" + show(-d) + ")"
	}
	return " (same)"
}

// countDelta is " (+3)", " (−2)" or " (same)".
func countDelta(cur, prev int) string {
	return signed(cur-prev, strconv.Itoa)
}

// ratioDelta is the change in percentage points, or nothing when either
// period has nothing to compare.
func ratioDelta(cur, prev kpi.Ratio) string {
	c, ok1 := cur.Value()
	p, ok2 := prev.Value()
	if !ok1 || !ok2 {
		return ""
	}
	return signed(math.Round(100*(c-p)), func(d float64) string { return fmt.Sprintf("%.0f pts", d) })
}

func meanDelta(cur, prev kpi.Mean) string {
	c, ok1 := cur.Value()
	p, ok2 := prev.Value()
	if !ok1 || !ok2 {
		return ""
	}
	return signed(math.Round(10*(c-p))/10, func(d float64) string { return fmt.Sprintf("%.1f", d) })
}

func durDelta(cur time.Duration, n int, prev time.Duration, pn int) string {
	if n == 0 || pn == 0 {
		return ""
	}
	return signed(cur-prev, func(d time.Duration) string { return kpi.Short(d, 1) })
}
