package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/openai"
	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// recorder accepts every message.
type recorder struct{ n int }

func (r *recorder) Send(context.Context, chat.Delivery) (string, error) { r.n++; return "ref", nil }

// /metrics counts what the core handled and what the outbox delivered.
func TestMetrics(t *testing.T) {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	arts, _ := kb.Builtin()
	core, err := bot.New(store, kb.NewIndex(arts), bot.Config{Triage: tickets.Place{Platform: "test", ChannelID: "triage"}, Catalog: bot.DefaultCatalog()}, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.New(store, map[string]chat.Sender{"test": &recorder{}}, time.Now, nil)
	for _, text := range []string{"I need a new keyboard", "mine is broken", "desk 4"} {
		core.Handle(context.Background(), chat.Message{Platform: "test", ChannelID: "dm", User: tickets.Person{Platform: "test", UserID: "amy"}, Text: text})
	}
	if _, err := disp.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	metricsHandler(core, disp, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
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
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	core, _ := bot.New(store, kb.NewIndex(arts), bot.Config{}, bot.Options{})
	rec := httptest.NewRecorder()
	metricsHandler(core, outbox.New(store, nil, time.Now, nil), llm).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{"helpdesk_llm_calls_total 1", "helpdesk_llm_invalid_total 1", "helpdesk_llm_fallbacks_total 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
