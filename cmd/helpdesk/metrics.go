package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// metricsStore is what /metrics reads from the database: the history the
// KPIs come from and the outbox's backlog.
type metricsStore interface {
	kpi.Source
	OutboxBacklog(ctx context.Context) (int, time.Time, error)
}

// metricsDeps are what /metrics reports on. llm is nil without a model;
// store nil leaves out the KPIs and the outbox backlog.
type metricsDeps struct {
	core  *bot.Bot
	disp  *outbox.Dispatcher
	llm   *openai.Client
	store metricsStore
	now   func() time.Time
	log   *slog.Logger
	// acks are the platforms' acknowledgement latencies, by platform and
	// transport.
	acks map[ackKey]*chat.Latency
}

// ackKey names an acknowledgement latency: the platform, and the
// transport its events came over (one of the transport constants).
type ackKey struct{ platform, transport string }

// The transports acknowledgements are timed on, the "transport" label of
// helpdesk_ack_seconds: a platform's HTTP endpoints (the answer is the
// ack), Slack's Socket Mode (the ack written back on the socket) and
// Discord's gateway (an interaction's callback, a message recorded).
const (
	transportHTTP    = "http"
	transportSocket  = "socket"
	transportGateway = "gateway"
)

// ackLatency is the acknowledgement latency of platform over transport,
// made on first use. It is called while the app is built, before /metrics
// serves, so the map is not written while it is read.
func (a *app) ackLatency(platform, transport string) *chat.Latency {
	if a.acks == nil {
		a.acks = map[ackKey]*chat.Latency{}
	}
	k := ackKey{platform, transport}
	if a.acks[k] == nil {
		a.acks[k] = &chat.Latency{}
	}
	return a.acks[k]
}

// timedRoutes times each route's answer into l: on a platform's HTTP
// endpoints the answer is the acknowledgement it waits for (Slack and
// Discord give up after 3 s).
func timedRoutes(routes map[string]http.Handler, l *chat.Latency) map[string]http.Handler {
	out := make(map[string]http.Handler, len(routes))
	for pattern, h := range routes {
		out[pattern] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			h.ServeHTTP(w, r)
			l.Observe(time.Since(start))
		})
	}
	return out
}

// metricsHandler serves the desk's metrics in the Prometheus format from
// a registry of its own (no global state): what the core handled and how
// fast, what the outbox delivered, retried and gave up (failures by
// platform) and what waits in it, the optional model's calls, the KPIs of
// the last 30 days (kpi_collector.go), and the Go runtime.
func metricsHandler(d metricsDeps) http.Handler {
	if d.now == nil {
		d.now = time.Now
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st := d.core.Stats()
	type counter struct {
		name, help string
		read       func() int64
	}
	counters := []counter{
		{"helpdesk_messages_total", "Inbound chat messages handled (events in, with actions).", st.Messages.Load},
		{"helpdesk_actions_total", "Button presses and form submissions handled (events in, with messages).", st.Actions.Load},
		{"helpdesk_replies_total", "Replies sent back to the sender of a message or action (messages to others go through the outbox).", st.Replies.Load},
		{"helpdesk_failures_total", "Messages and actions answered with an internal error (see the log).", st.Failures.Load},
		{"helpdesk_timers_fired_total", "Scheduler timers acted on (SLA warnings, status updates, follow-ups, closes).", st.TimersFired.Load},
		{"helpdesk_outbox_sent_total", "Outbox messages the platform accepted.", d.disp.Stats.Sent.Load},
		{"helpdesk_outbox_retried_total", "Failed outbox delivery attempts that will be retried.", d.disp.Stats.Retried.Load},
		{"helpdesk_outbox_given_up_total", "Outbox messages given up after outbox.give_up_after or a permanent refusal; /outbox lists them.", d.disp.Stats.GivenUp.Load},
	}
	if d.llm != nil {
		ls := d.llm.Stats()
		counters = append(counters, []counter{
			{"helpdesk_llm_calls_total", "Requests sent to the model server.", ls.Calls.Load},
			{"helpdesk_llm_cache_hits_total", "Model answers served from the cache.", ls.CacheHits.Load},
			{"helpdesk_llm_fallbacks_total", "Model answers not used (offline result kept), any reason.", ls.Fallbacks.Load},
			{"helpdesk_llm_timeouts_total", "Model calls that ran out of time (budget or timeout).", ls.Timeouts.Load},
			{"helpdesk_llm_http_errors_total", "Model calls the server refused or that could not reach it.", ls.HTTPErrors.Load},
			{"helpdesk_llm_refusals_total", "Model answers that refused or said nothing.", ls.Refusals.Load},
			{"helpdesk_llm_invalid_total", "Model answers of the wrong shape (bad JSON, unknown or repeated IDs, no draft marker).", ls.Invalid.Load},
		}...)
	}
	for _, c := range counters {
		read := c.read
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help}, func() float64 { return float64(read()) }))
	}
	reg.MustRegister(&healthCollector{d: d})
	if d.store != nil {
		reg.MustRegister(newKPICollector(d.store, d.core.KPIOptions, d.now, d.log))
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(d.log.Handler(), slog.LevelError)})
}

// healthCollector reports what changes with every scrape and has labels
// or shapes a CounterFunc cannot: delivery failures by platform, the
// handler latency histogram, and the outbox's backlog.
type healthCollector struct{ d metricsDeps }

var (
	descFailures = prometheus.NewDesc("helpdesk_outbox_failures_total",
		"Failed outbox delivery attempts (retried or given up), by platform.", []string{"platform"}, nil)
	descHandling = prometheus.NewDesc("helpdesk_handler_seconds",
		"Time the core took to answer a message or action, from the call to its replies.", nil, nil)
	descAck = prometheus.NewDesc("helpdesk_ack_seconds",
		"Time to acknowledge a platform's event, which it waits at most 3 s for, by platform and transport: http is the answer to its HTTP request (Slack's Events API, commands and interactivity; Discord's interactions), socket from the adapter taking a Slack Socket Mode envelope from slack-go to handing its ack to the socket (a backlog queued in slack-go is before it), gateway from reading a Discord INTERACTION_CREATE to sending its callback, or a MESSAGE_CREATE to recording it.", []string{"platform", "transport"}, nil)
	descWaiting = prometheus.NewDesc("helpdesk_outbox_waiting",
		"Outbox messages waiting for delivery (neither sent nor given up).", nil, nil)
	descOldest = prometheus.NewDesc("helpdesk_outbox_oldest_age_seconds",
		"Age of the oldest outbox message still waiting; 0 when none waits.", nil, nil)
)

func (h *healthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descFailures
	ch <- descHandling
	ch <- descAck
	if h.d.store != nil {
		ch <- descWaiting
		ch <- descOldest
	}
}

func (h *healthCollector) Collect(ch chan<- prometheus.Metric) {
	for platform, n := range h.d.disp.Stats.FailedByPlatform() {
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(n), platform)
	}
	ch <- latencyMetric(descHandling, &h.d.core.Stats().Handling)
	for k, l := range h.d.acks {
		ch <- latencyMetric(descAck, l, k.platform, k.transport)
	}
	if h.d.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, oldest, err := h.d.store.OutboxBacklog(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descWaiting, err)
		return
	}
	age := 0.0
	if n > 0 {
		age = max(0, h.d.now().Sub(oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
}

// latencyMetric is a chat.Latency as a Prometheus histogram.
func latencyMetric(desc *prometheus.Desc, l *chat.Latency, labels ...string) prometheus.Metric {
	buckets, count, sum := l.Snapshot()
	return prometheus.MustNewConstHistogram(desc, count, sum, buckets, labels...)
}
