package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// kpiWindow is the period the KPI gauges cover, up to the scrape.
const kpiWindow = 30 * 24 * time.Hour

// kpiTTL is how long one computation of the KPIs serves scrapes: reading
// a month of history on every 15 s scrape would load the database for
// figures that move slowly.
const kpiTTL = time.Minute

// kpiCollector exposes the KPIs of the last 30 days (docs/kpis.md) as
// gauges, for the whole desk (by="all") and by category and by priority:
// helpdesk_kpi_fcr_ratio{by="priority",group="P1"}. A share with nothing
// to divide is left out rather than reported as 0.
type kpiCollector struct {
	src  kpi.Source
	opts func() kpi.Options
	now  func() time.Time
	log  *slog.Logger

	mu      sync.Mutex
	at      time.Time // when cached was computed
	cached  []prometheus.Metric
	lastErr error
}

func newKPICollector(src kpi.Source, opts func() kpi.Options, now func() time.Time, log *slog.Logger) *kpiCollector {
	return &kpiCollector{src: src, opts: opts, now: now, log: log}
}

// kpiGauge is one gauge family: what it reads of a group's figures, and
// false when there is nothing to report.
type kpiGauge struct {
	desc *prometheus.Desc
	read func(f *kpi.Figures) (float64, bool)
}

func ratioOf(r func(f *kpi.Figures) kpi.Ratio) func(f *kpi.Figures) (float64, bool) {
	return func(f *kpi.Figures) (float64, bool) { return r(f).Value() }
}

func countOf(c func(f *kpi.Figures) int) func(f *kpi.Figures) (float64, bool) {
	return func(f *kpi.Figures) (float64, bool) { return float64(c(f)), true }
}

func secondsOf(d func(f *kpi.Figures) (time.Duration, int)) func(f *kpi.Figures) (float64, bool) {
	return func(f *kpi.Figures) (float64, bool) {
		v, n := d(f)
		return v.Seconds(), n > 0
	}
}

func gauge(name, help string, read func(f *kpi.Figures) (float64, bool)) kpiGauge {
	return kpiGauge{prometheus.NewDesc("helpdesk_kpi_"+name, help+" Last 30 days (docs/kpis.md).", []string{"by", "group"}, nil), read}
}

var kpiGauges = []kpiGauge{
	gauge("opened", "Tickets opened.", countOf(func(f *kpi.Figures) int { return f.Opened })),
	gauge("resolved", "Tickets resolved.", countOf(func(f *kpi.Figures) int { return f.Resolved })),
	gauge("self_served", "Reports a KB article fixed (tier 0).", countOf(func(f *kpi.Figures) int { return f.SelfServed })),
	gauge("backlog", "Tickets open now.", countOf(func(f *kpi.Figures) int { return f.Backlog })),
	gauge("backlog_oldest_seconds", "Age of the oldest open ticket.", secondsOf(func(f *kpi.Figures) (time.Duration, int) { return f.Age.Max, f.Age.N })),
	gauge("fcr_ratio", "First contact resolution, self-service included.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.FCR })),
	gauge("resolution_mean_seconds", "Mean time to resolution.", secondsOf(func(f *kpi.Figures) (time.Duration, int) { return f.Resolution.Mean, f.Resolution.N })),
	gauge("resolution_median_seconds", "Median time to resolution.", secondsOf(func(f *kpi.Figures) (time.Duration, int) { return f.Resolution.Median, f.Resolution.N })),
	gauge("first_response_median_seconds", "Median first response time.", secondsOf(func(f *kpi.Figures) (time.Duration, int) { return f.FirstResponse.Median, f.FirstResponse.N })),
	gauge("handling_mean_seconds", "Mean handling time per resolved ticket.", secondsOf(func(f *kpi.Figures) (time.Duration, int) { return f.Handling.Mean, f.Handling.N })),
	gauge("csat_average", "Average satisfaction rating, 1 to 5.", func(f *kpi.Figures) (float64, bool) { return f.CSAT.Value() }),
	gauge("csat_response_ratio", "Share of resolved tickets rated.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.CSATResponse })),
	gauge("sla_response_ratio", "Share of first responses within the SLA.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.SLAResponse })),
	gauge("sla_resolution_ratio", "Share of resolutions within the SLA.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.SLAResolution })),
	gauge("deflection_ratio", "Self-served reports over all reports.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.Deflection })),
	gauge("reopen_ratio", "Share of resolved tickets reopened.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.Reopen })),
	gauge("escalation_ratio", "Share of opened tickets escalated.", ratioOf(func(f *kpi.Figures) kpi.Ratio { return f.Escalation })),
}

var descKPIUp = prometheus.NewDesc("helpdesk_kpi_up", "1 when the KPIs were read from the database, 0 when that failed (see the log).", nil, nil)

func (c *kpiCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descKPIUp
	for _, g := range kpiGauges {
		ch <- g.desc
	}
}

func (c *kpiCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.cached == nil || now.Sub(c.at) >= kpiTTL || now.Before(c.at) {
		c.cached, c.lastErr = c.compute(now)
		c.at = now
		if c.lastErr != nil {
			c.log.Error("metrics: reading the KPIs", "err", c.lastErr)
		}
	}
	up := 1.0
	if c.lastErr != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(descKPIUp, prometheus.GaugeValue, up)
	for _, m := range c.cached {
		ch <- m
	}
}

func (c *kpiCollector) compute(now time.Time) ([]prometheus.Metric, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	from := now.Add(-kpiWindow)
	h, err := kpi.Load(ctx, c.src, from)
	if err != nil {
		return []prometheus.Metric{}, err
	}
	opt := c.opts()
	var out []prometheus.Metric
	emit := func(by, group string, f *kpi.Figures) {
		for _, g := range kpiGauges {
			if v, ok := g.read(f); ok {
				out = append(out, prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, by, group))
			}
		}
	}
	all := kpi.Compute(h, from, now, kpi.None, opt)
	emit("all", "all", &all.Total)
	for _, by := range []kpi.Dimension{kpi.Category, kpi.Priority} {
		r := kpi.Compute(h, from, now, by, opt)
		for i := range r.Groups {
			emit(string(by), r.Groups[i].Key, &r.Groups[i].Figures)
		}
	}
	return out, nil
}
