package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/helpdesk-bot/helpdesk/bot"
)

// metricsHandler serves the desk's counters in the Prometheus format from
// a registry of its own (no global state): what the core handled, what
// the outbox delivered, retried and gave up, and the Go runtime.
func metricsHandler(core *bot.Bot, disp *bot.Dispatcher) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st := core.Stats()
	for _, c := range []struct {
		name, help string
		read       func() int64
	}{
		{"helpdesk_messages_total", "Inbound chat messages handled.", st.Messages.Load},
		{"helpdesk_actions_total", "Button presses and form submissions handled.", st.Actions.Load},
		{"helpdesk_failures_total", "Messages and actions answered with an internal error (see the log).", st.Failures.Load},
		{"helpdesk_timers_fired_total", "Scheduler timers acted on (SLA warnings, status updates, follow-ups, closes).", st.TimersFired.Load},
		{"helpdesk_outbox_sent_total", "Outbox messages the platform accepted.", disp.Stats.Sent.Load},
		{"helpdesk_outbox_retried_total", "Failed outbox delivery attempts that will be retried.", disp.Stats.Retried.Load},
		{"helpdesk_outbox_given_up_total", "Outbox messages given up after outbox.give_up_after or a permanent refusal; /outbox lists them.", disp.Stats.GivenUp.Load},
	} {
		read := c.read
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help}, func() float64 { return float64(read()) }))
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
