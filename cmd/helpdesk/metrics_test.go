package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// /metrics counts what the core handled and what the outbox delivered.
func TestMetrics(t *testing.T) {
	d := bottest.New(t, bottest.Options{})
	for _, text := range []string{"I need a new keyboard", "mine is broken", "desk 4"} {
		d.Say("amy", text)
	}
	d.Deliver()
	rec := httptest.NewRecorder()
	metricsHandler(d.Bot, d.Outbox, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{"helpdesk_messages_total 3", "helpdesk_outbox_sent_total 1", "helpdesk_outbox_given_up_total 0", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
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
	rec := httptest.NewRecorder()
	metricsHandler(d.Bot, d.Outbox, llm).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{"helpdesk_llm_calls_total 1", "helpdesk_llm_invalid_total 1", "helpdesk_llm_fallbacks_total 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
