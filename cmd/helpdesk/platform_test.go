package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// /healthz says which platform is down, with 503, and recovers with it;
// platform routes are served beside it.
func TestHealthz(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	ps := []*platform{
		{name: "slack", run: func(ctx context.Context) error { <-ctx.Done(); return nil },
			health: func() error {
				if down.Load() {
					return errors.New("socket mode disconnected: dial tcp: connection refused")
				}
				return nil
			},
			routes: map[string]http.Handler{"POST /slack/events": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusAccepted)
			})}},
		{name: "discord", run: func(ctx context.Context) error { <-ctx.Done(); return nil }},
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	extra := map[string]http.Handler{"GET /metrics": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("m 1\n")) })}
	go func() {
		done <- runPlatforms(ctx, "127.0.0.1:0", ps, extra, slog.New(slog.DiscardHandler), func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("runPlatforms ended: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the HTTP server did not start")
	}
	get := func() (int, map[string]platformHealth) {
		t.Helper()
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h map[string]platformHealth
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, h
	}
	code, h := get()
	if code != http.StatusServiceUnavailable || h["slack"].OK || !strings.Contains(h["slack"].Error, "disconnected") || !h["discord"].OK {
		t.Errorf("while Slack is down: %d %+v", code, h)
	}
	down.Store(false)
	if code, h := get(); code != http.StatusOK || !h["slack"].OK {
		t.Errorf("after Slack is back: %d %+v", code, h)
	}
	resp, err := http.Post("http://"+addr+"/slack/events", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Errorf("platform route: %v %v", resp, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("runPlatforms = %v after cancel", err)
	}
}

// Platforms that serve HTTP endpoints need an address to serve them on.
func TestRoutesNeedAnAddress(t *testing.T) {
	ps := []*platform{{name: "slack", run: func(ctx context.Context) error { return nil },
		routes: map[string]http.Handler{"POST /slack/events": http.NotFoundHandler()}}}
	err := runPlatforms(context.Background(), "", ps, nil, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "http.addr") {
		t.Errorf("err = %v, want one naming http.addr", err)
	}
}

// A platform that fails stops the rest and its error is returned, rather
// than the process hanging on the others.
func TestPlatformFailureStopsTheRest(t *testing.T) {
	ps := []*platform{
		{name: "slack", run: func(ctx context.Context) error { return errors.New("invalid_auth") }},
		{name: "discord", run: func(ctx context.Context) error { <-ctx.Done(); return nil }},
	}
	done := make(chan error, 1)
	go func() {
		done <- runPlatforms(context.Background(), "127.0.0.1:0", ps, nil, slog.New(slog.DiscardHandler), nil)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "slack: invalid_auth") {
			t.Errorf("runPlatforms = %v, want the Slack failure", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runPlatforms hung after a platform failed")
	}
}
