package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
)

// metricsHandler serves the desk's counters in the Prometheus format from
// a registry of its own (no global state): what the core handled, what
// the outbox delivered, retried and gave up, and the Go runtime.
//
// With a model configured (llm not nil) its calls, cache hits and each
// reason its answer was not used are counted too.
func metricsHandler(core *bot.Bot, disp *outbox.Dispatcher, llm *openai.Client) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st := core.Stats()
	type counter struct {
		name, help string
		read       func() int64
	}
	counters := []counter{
		{"helpdesk_messages_total", "Inbound chat messages handled.", st.Messages.Load},
		{"helpdesk_actions_total", "Button presses and form submissions handled.", st.Actions.Load},
		{"helpdesk_failures_total", "Messages and actions answered with an internal error (see the log).", st.Failures.Load},
		{"helpdesk_timers_fired_total", "Scheduler timers acted on (SLA warnings, status updates, follow-ups, closes).", st.TimersFired.Load},
		{"helpdesk_outbox_sent_total", "Outbox messages the platform accepted.", disp.Stats.Sent.Load},
		{"helpdesk_outbox_retried_total", "Failed outbox delivery attempts that will be retried.", disp.Stats.Retried.Load},
		{"helpdesk_outbox_given_up_total", "Outbox messages given up after outbox.give_up_after or a permanent refusal; /outbox lists them.", disp.Stats.GivenUp.Load},
	}
	if llm != nil {
		ls := llm.Stats()
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
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
