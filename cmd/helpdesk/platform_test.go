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

// getState fetches /healthz or /readyz.
func getState(t *testing.T, url string) (int, map[string]state) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]state
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, h
}

// /healthz says which platform is down, with 503, and recovers with it;
// /readyz waits for the database and each platform's first success, then
// stays ready; routes registered later are served beside them.
func TestHealthzReadyz(t *testing.T) {
	w, err := listenWeb("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	base := "http://" + w.addr

	if code, h := getState(t, base+"/readyz"); code != http.StatusServiceUnavailable || h["database"].OK || !strings.Contains(h["database"].Error, "migrations") {
		t.Errorf("readyz while migrating: %d %+v", code, h)
	}
	if code, h := getState(t, base+"/healthz"); code != http.StatusOK || len(h) != 0 {
		t.Errorf("healthz while starting: %d %+v, want 200: the process is alive", code, h)
	}
	w.database.Store(true)

	var down atomic.Bool
	down.Store(true)
	w.handle(map[string]http.Handler{"POST /slack/events": http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(http.StatusAccepted)
	})})
	w.setChats([]*probe{
		{name: "slack", health: func() error {
			if down.Load() {
				return errors.New("slack: auth.test: invalid_auth")
			}
			return nil
		}},
		{name: "console"},
	})
	code, h := getState(t, base+"/healthz")
	if code != http.StatusServiceUnavailable || h["slack"].OK || !strings.Contains(h["slack"].Error, "invalid_auth") || !h["console"].OK {
		t.Errorf("healthz while Slack is down: %d %+v", code, h)
	}
	if code, h := getState(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(h["slack"].Error, "first successful call") || !h["database"].OK {
		t.Errorf("readyz before Slack answered: %d %+v", code, h)
	}
	down.Store(false)
	if code, h := getState(t, base+"/healthz"); code != http.StatusOK || !h["slack"].OK {
		t.Errorf("healthz after Slack is back: %d %+v", code, h)
	}
	if code, h := getState(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("readyz after Slack answered: %d %+v", code, h)
	}
	down.Store(true)
	if code, _ := getState(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("readyz = %d after a later failure; readiness is reached once, /healthz reports the rest", code)
	}
	resp, err := http.Post(base+"/slack/events", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Errorf("platform route: %v %v", resp, err)
	}
}

// An address in use is refused with what to do.
func TestListenWebInUse(t *testing.T) {
	w, err := listenWeb("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	if _, err := listenWeb(w.addr, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "choose a free address") {
		t.Errorf("second listen: %v", err)
	}
}

// Platforms that serve HTTP endpoints need an address to serve them on.
func TestRoutesNeedAnAddress(t *testing.T) {
	ps := []*platform{{name: "slack", routes: map[string]http.Handler{"POST /slack/events": http.NotFoundHandler()}}}
	if err := needAddr("", ps); err == nil || !strings.Contains(err.Error(), "http.addr") {
		t.Errorf("err = %v, want one naming http.addr", err)
	}
	if err := needAddr(":8080", ps); err != nil {
		t.Errorf("with an address: %v", err)
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
	go func() { done <- runPlatforms(context.Background(), ps) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "slack: invalid_auth") {
			t.Errorf("runPlatforms = %v, want the Slack failure", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runPlatforms hung after a platform failed")
	}
}
