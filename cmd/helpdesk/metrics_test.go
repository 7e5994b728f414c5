package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// scrape serves /metrics once and parses it with Prometheus's own text
// parser, so what a Prometheus server would refuse fails here.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// value is the sample of family name whose labels are all of labels
// ("by", "priority", ...), and false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// bucket is the cumulative count at or below le of histogram name's
// sample whose labels are all of labels, and false when there is none.
func bucket(fams map[string]*dto.MetricFamily, name string, le float64, labels ...string) (uint64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			if !slices.ContainsFunc(m.Label, func(l *dto.LabelPair) bool { return l.GetName() == labels[i] && l.GetValue() == labels[i+1] }) {
				continue next
			}
		}
		for _, b := range m.GetHistogram().GetBucket() {
			if b.GetUpperBound() == le {
				return b.GetCumulativeCount(), true
			}
		}
	}
	return 0, false
}

// busyDesk is a desk that took a service request, claimed and resolved
// it two hours later, and whose platform refused one delivery.
func busyDesk(t *testing.T) *bottest.Desk {
	d := bottest.New(t, bottest.Options{})
	for _, text := range []string{"I need a new keyboard", "mine is broken", "desk 4"} {
		d.Say("amy", text)
	}
	d.Advance(time.Hour)
	d.Say("dana", "/claim 1")
	d.Advance(time.Hour)
	d.Say("dana", "/resolve 1 delivered a keyboard")
	failed := false
	d.Sent.Fail = func(chat.Delivery) error {
		if !failed {
			failed = true
			return errors.New("platform down")
		}
		return nil
	}
	d.Deliver()
	return d
}

// /metrics counts what the core handled and how fast, what the outbox
// delivered, failed by platform and still holds, and the KPIs by
// category and priority.
func TestMetrics(t *testing.T) {
	d := busyDesk(t)
	// A platform's HTTP endpoint, timed as the app times them, and the
	// acks the adapters time on Socket Mode and the gateway.
	httpAcks, socketAcks, gatewayAcks := ackKey{"slack", transportHTTP}, ackKey{"slack", transportSocket}, ackKey{"discord", transportGateway}
	acks := map[ackKey]*chat.Latency{httpAcks: {}, socketAcks: {}, gatewayAcks: {}}
	ep := timedRoutes(map[string]http.Handler{"POST /slack/events": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})}, acks[httpAcks])
	for range 3 {
		ep["POST /slack/events"].ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/slack/events", nil))
	}
	acks[socketAcks].Observe(20 * time.Millisecond)
	acks[socketAcks].Observe(4 * time.Second)
	acks[gatewayAcks].Observe(time.Millisecond)
	h := metricsHandler(metricsDeps{core: d.Bot, disp: d.Outbox, store: d.Store, now: d.Now, acks: acks})
	fams := scrape(t, h)

	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"helpdesk_messages_total", nil, 5},
		{"helpdesk_handler_seconds", nil, 5}, // one observation per message
		{"helpdesk_ack_seconds", []string{"platform", "slack", "transport", "http"}, 3},
		{"helpdesk_ack_seconds", []string{"platform", "slack", "transport", "socket"}, 2},
		{"helpdesk_ack_seconds", []string{"platform", "discord", "transport", "gateway"}, 1},
		{"helpdesk_outbox_failures_total", []string{"platform", bottest.Platform}, 1},
		{"helpdesk_outbox_given_up_total", nil, 0},
		{"helpdesk_kpi_up", nil, 1},
		{"helpdesk_kpi_opened", []string{"by", "all"}, 1},
		{"helpdesk_kpi_resolved", []string{"by", "priority", "group", "P4"}, 1},
		{"helpdesk_kpi_resolution_mean_seconds", []string{"by", "all"}, 7200},
		{"helpdesk_kpi_sla_resolution_ratio", []string{"by", "all"}, 1},
		{"helpdesk_kpi_backlog", []string{"by", "all"}, 0},
	}
	for _, c := range checks {
		got, ok := value(fams, c.name, c.labels...)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if replies, ok := value(fams, "helpdesk_replies_total"); !ok || replies < 5 {
		t.Errorf("helpdesk_replies_total = %v, %v; want at least one reply to each of the 5 messages", replies, ok)
	}
	if waiting, ok := value(fams, "helpdesk_outbox_waiting"); !ok || waiting < 1 {
		t.Errorf("helpdesk_outbox_waiting = %v, %v; want the refused message still waiting", waiting, ok)
	}
	if _, ok := value(fams, "helpdesk_kpi_csat_average", "by", "all"); ok {
		t.Error("helpdesk_kpi_csat_average reported with no rating; it should be left out")
	}
	if _, ok := value(fams, "go_goroutines"); !ok {
		t.Error("the Go runtime's metrics are missing")
	}
	if under, ok := bucket(fams, "helpdesk_ack_seconds", 2.5, "transport", "socket"); !ok || under != 1 {
		t.Errorf("Socket Mode acks at or below 2.5 s = %v, %v; want 1 (one took 4 s)", under, ok)
	}
	cat, ok := value(fams, "helpdesk_kpi_opened", "by", "category")
	if !ok || cat != 1 {
		t.Errorf("helpdesk_kpi_opened by category = %v, %v; want 1", cat, ok)
	}
}

// With a model configured, its calls and why answers were not used are
// counted too.
func TestMetricsLLM(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"not json"},"finish_reason":"stop"}]}`)
	}))
	defer srv.Close()
	llm, err := openai.New(openai.Config{BaseURL: srv.URL + "/v1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	arts, _ := kb.Builtin()
	res := kb.NewIndex(arts).Search("vpn will not connect", 3)
	if _, err := llm.Rerank(context.Background(), "vpn will not connect", res); err == nil {
		t.Fatal("a non-JSON answer was accepted")
	}
	d := bottest.New(t, bottest.Options{})
	fams := scrape(t, metricsHandler(metricsDeps{core: d.Bot, disp: d.Outbox, llm: llm}))
	for _, name := range []string{"helpdesk_llm_calls_total", "helpdesk_llm_invalid_total", "helpdesk_llm_fallbacks_total"} {
		if v, ok := value(fams, name); !ok || v != 1 {
			t.Errorf("%s = %v, %v; want 1", name, v, ok)
		}
	}
	if strings.Contains(strings.Join(keys(fams), " "), "helpdesk_kpi_") {
		t.Error("KPIs reported without a store")
	}
}

func keys(m map[string]*dto.MetricFamily) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Every metric docs/grafana-dashboard.json queries is one /metrics
// serves, so the dashboard cannot drift from the names.
func TestGrafanaDashboard(t *testing.T) {
	data, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("docs/grafana-dashboard.json: %v", err)
	}
	llm, err := openai.New(openai.Config{BaseURL: "http://127.0.0.1:1/v1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	d := busyDesk(t)
	fams := scrape(t, metricsHandler(metricsDeps{core: d.Bot, disp: d.Outbox, llm: llm, store: d.Store, now: d.Now, acks: map[ackKey]*chat.Latency{{"slack", transportSocket}: {}}}))
	// A KPI with nothing to report in the window (no rating yet) is left
	// out of a scrape, so the KPI gauges' descriptions count too.
	described := map[string]bool{}
	fq := regexp.MustCompile(`fqName: "([^"]+)"`)
	for _, g := range kpiGauges {
		described[fq.FindStringSubmatch(g.desc.String())[1]] = true
	}
	if len(described) != len(kpiGauges) {
		t.Fatalf("read %d KPI gauge names from %d descriptions", len(described), len(kpiGauges))
	}
	name := regexp.MustCompile(`helpdesk_[a-z_]+`)
	queried := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				queried++
				base := strings.TrimSuffix(m, "_bucket")
				if fams[base] == nil && fams[m] == nil && !described[m] {
					t.Errorf("panel %q queries %s, which /metrics does not serve", p.Title, m)
				}
			}
		}
	}
	if queried < 20 {
		t.Errorf("the dashboard queries %d metrics; want its panels read", queried)
	}
}
