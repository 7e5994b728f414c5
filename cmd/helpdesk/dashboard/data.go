package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// Source is what the dashboard reads: the ticket history the KPIs come
// from and the knowledge base's use counts.
type Source interface {
	kpi.Source
	Usage(ctx context.Context, since time.Time) ([]kb.ArticleUsage, error)
}

// view is everything one page shows.
type view struct {
	Days, PrevDays int
	Periods        []int
	From, To       string
	Tiles          []tile
	Daily          chart // opened and resolved per day
	SLA            chart // SLA compliance per day
	Backlog        chart // backlog by priority and age
	Categories     chart // tickets opened by category
	Articles       chart // KB articles by fixed and not fixed
	AtRisk         []risk
}

// tile is one KPI with its trend against the period before.
type tile struct {
	Label, Value, Delta, Help string
	// Trend is "up", "down" or "" (no change or nothing to compare); Good
	// says whether the move is for the better, Neutral that it is neither
	// (more tickets opened is not the desk's doing).
	Trend         string
	Good, Neutral bool
}

// risk is an open ticket close to, or past, its next SLA deadline.
type risk struct {
	Ref, Priority, Summary, Who, Due string
	Overdue                          bool
}

// build reads the data of a page covering the days up to now.
func build(ctx context.Context, src Source, opt kpi.Options, now time.Time, days int, loc *time.Location, agent func(string) string, title func(string) string) (*view, error) {
	period := time.Duration(days) * 24 * time.Hour
	from, prevFrom := now.Add(-period), now.Add(-2*period)
	h, err := kpi.Load(ctx, src, prevFrom)
	if err != nil {
		return nil, err
	}
	cur := kpi.Compute(h, from, now, kpi.None, opt).Total
	prev := kpi.Compute(h, prevFrom, from, kpi.None, opt).Total
	v := &view{Days: days, Periods: []int{7, 30, 90}, From: from.In(loc).Format("Mon 2 Jan 2006"), To: now.In(loc).Format("Mon 2 Jan 2006 15:04"), Tiles: tiles(cur, prev)}

	// Per day, oldest first, ending with today.
	var labels []string
	var opened, resolved, slaResp, slaRes []float64
	for i := days - 1; i >= 0; i-- {
		end := now.Add(-time.Duration(i) * 24 * time.Hour)
		f := kpi.Compute(h, end.Add(-24*time.Hour), end, kpi.None, opt).Total
		labels = append(labels, end.In(loc).Format("2 Jan"))
		opened = append(opened, float64(f.Opened))
		resolved = append(resolved, float64(f.Resolved))
		slaResp = append(slaResp, percent(f.SLAResponse))
		slaRes = append(slaRes, percent(f.SLAResolution))
	}
	v.Daily = lineChart("Tickets opened and resolved per day", labels, "", []series{{"opened", opened}, {"resolved", resolved}})
	v.SLA = lineChart("SLA met per day (%)", labels, "%", []series{{"response", slaResp}, {"resolution", slaRes}})

	byPrio := kpi.Compute(h, from, now, kpi.Priority, opt)
	var bars []bar
	for _, p := range []tickets.Priority{tickets.P1, tickets.P2, tickets.P3, tickets.P4} {
		b := bar{Label: p.String(), Parts: make([]float64, len(kpi.AgeLabels))}
		for _, g := range byPrio.Groups {
			if g.Key == p.String() {
				for i, n := range g.AgeBands {
					b.Parts[i] = float64(n)
				}
			}
		}
		bars = append(bars, b)
	}
	v.Backlog = barChart("Open tickets by priority and age", kpi.AgeLabels, bars)

	byCat := kpi.Compute(h, from, now, kpi.Category, opt)
	bars = nil
	for _, g := range byCat.Groups {
		if n := g.Opened + g.SelfServed; n > 0 {
			bars = append(bars, bar{Label: g.Key, Parts: []float64{float64(g.Opened), float64(g.SelfServed)}})
		}
	}
	slices.SortStableFunc(bars, func(a, b bar) int { return cmp.Compare(b.total(), a.total()) })
	v.Categories = barChart("Top categories: tickets and self-served reports", []string{"tickets", "self-served"}, bars[:min(len(bars), 8)])

	use, err := src.Usage(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("kb usage: %w", err)
	}
	slices.SortStableFunc(use, func(a, b kb.ArticleUsage) int { return cmp.Compare(b.Offered+b.Opened, a.Offered+a.Opened) })
	bars = nil
	for _, u := range use[:min(len(use), 10)] {
		bars = append(bars, bar{Label: title(u.ArticleID), Parts: []float64{float64(u.Fixed), float64(max(0, u.Offered-u.Fixed))}})
	}
	v.Articles = barChart("KB articles: fixed it, and offered without fixing it", []string{"fixed it", "did not"}, bars)

	v.AtRisk = atRisk(h, now, loc, agent)
	return v, nil
}

func percent(r kpi.Ratio) float64 {
	v, ok := r.Value()
	if !ok {
		return -1 // no point: nothing was due that day
	}
	return 100 * v
}

// atRisk lists open tickets not waiting on their requester whose next
// deadline is past or within a day, the most urgent first, at most 12.
func atRisk(h *kpi.History, now time.Time, loc *time.Location, agent func(string) string) []risk {
	type due struct {
		t  *tickets.Ticket
		at time.Time
	}
	var ds []due
	for _, r := range h.Tickets {
		t := r.Ticket
		if !t.Status.Active() || t.Status == tickets.StatusPending || t.LinkedTo != 0 {
			continue
		}
		next := t.ResolveDue
		if t.FirstResponseAt.IsZero() && !t.ResponseDue.IsZero() && (next.IsZero() || t.ResponseDue.Before(next)) {
			next = t.ResponseDue
		}
		if next.IsZero() || next.Sub(now) > 24*time.Hour {
			continue
		}
		ds = append(ds, due{t, next})
	}
	slices.SortFunc(ds, func(a, b due) int { return a.at.Compare(b.at) })
	var out []risk
	for _, d := range ds[:min(len(ds), 12)] {
		who := "unassigned"
		if d.t.Assignee != "" {
			who = agent(d.t.Assignee)
		}
		r := risk{Ref: d.t.Ref(), Priority: d.t.Priority.String(), Summary: d.t.Summary, Who: who, Overdue: !d.at.After(now)}
		if r.Overdue {
			r.Due = "overdue by " + kpi.Short(now.Sub(d.at), 1)
		} else {
			r.Due = "due in " + kpi.Short(d.at.Sub(now), 1) + " (" + d.at.In(loc).Format("Mon 15:04") + ")"
		}
		out = append(out, r)
	}
	return out
}

// tiles are the headline KPIs with their trend.
func tiles(f, p kpi.Figures) []tile {
	ratio := func(label, help string, c, pr kpi.Ratio, upIsGood bool) tile {
		t := tile{Label: label, Value: c.String(), Help: help}
		cv, ok1 := c.Value()
		pv, ok2 := pr.Value()
		if ok1 && ok2 {
			d := 100 * (cv - pv)
			t.Delta, t.Trend, t.Good = trend(d, strings.Replace(fmt.Sprintf("%+.0f pts", d), "-", "−", 1), upIsGood)
		}
		return t
	}
	dur := func(label, help string, c, pr time.Duration, n, pn int) tile {
		t := tile{Label: label, Value: kpi.Short(c, n), Help: help}
		if n > 0 && pn > 0 {
			d := c - pr
			sign := "+"
			if d < 0 {
				sign, d = "−", -d
			}
			t.Delta, t.Trend, t.Good = trend(float64(c-pr), sign+kpi.Short(d, 1), false)
		}
		return t
	}
	count := func(label, help string, c, pr int, upIsGood bool) tile {
		t := tile{Label: label, Value: fmt.Sprint(c), Help: help}
		t.Delta, t.Trend, t.Good = trend(float64(c-pr), strings.Replace(fmt.Sprintf("%+d", c-pr), "-", "−", 1), upIsGood)
		return t
	}
	csat := tile{Label: "CSAT", Value: f.CSAT.String(), Help: fmt.Sprintf("average rating of 5, %d %s (%s of resolved)", f.CSAT.N, ratings(f.CSAT.N), f.CSATResponse)}
	if c, ok1 := f.CSAT.Value(); ok1 {
		if pv, ok2 := p.CSAT.Value(); ok2 {
			csat.Delta, csat.Trend, csat.Good = trend(c-pv, strings.Replace(fmt.Sprintf("%+.1f", c-pv), "-", "−", 1), true)
		}
	}
	opened := count("Opened", "tickets opened", f.Opened, p.Opened, false)
	opened.Neutral = true
	return []tile{
		opened,
		count("Resolved", "tickets resolved", f.Resolved, p.Resolved, true),
		ratio("First contact resolution", "self-service included", f.FCR, p.FCR, true),
		ratio("Deflection", "reports an article fixed", f.Deflection, p.Deflection, true),
		dur("Time to resolve", "median", f.Resolution.Median, p.Resolution.Median, f.Resolution.N, p.Resolution.N),
		dur("First response", "median", f.FirstResponse.Median, p.FirstResponse.Median, f.FirstResponse.N, p.FirstResponse.N),
		ratio("SLA response", "met", f.SLAResponse, p.SLAResponse, true),
		ratio("SLA resolution", "met", f.SLAResolution, p.SLAResolution, true),
		csat,
		ratio("Reopened", "of resolved", f.Reopen, p.Reopen, false),
		ratio("Escalated", "of opened", f.Escalation, p.Escalation, false),
		count("Backlog", "open now, oldest "+kpi.Short(f.Age.Max, f.Age.N), f.Backlog, p.Backlog, false),
	}
}

// trend reads a change: its text, "up", "down" or "" for none, and
// whether it is for the better.
func trend(d float64, text string, upIsGood bool) (string, string, bool) {
	switch {
	case d > 0.0001:
		return text, "up", upIsGood
	case d < -0.0001:
		return text, "down", !upIsGood
	}
	return "same", "", true
}

func ratings(n int) string {
	if n == 1 {
		return "rating"
	}
	return "ratings"
}
