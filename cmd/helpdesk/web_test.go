package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// With http.addr set, the console serves /healthz, /readyz and /metrics
// too, instead of silently ignoring it; the metrics count the console's
// messages.
func TestConsoleServesHTTP(t *testing.T) {
	dir := t.TempDir()
	l := startLive(t, []string{"-data", dir, "-user", "alice"}, map[string]string{"HELPDESK_HTTP_ADDR": "127.0.0.1:0"})
	base := l.httpBase()
	l.expect("Describe a problem")
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || !strings.Contains(body, `"console":{"ok":true}`) {
		t.Errorf("/healthz = %d %s", code, body)
	}
	// The KB index builds in the background: ready once it is.
	code, body := get(t, base+"/readyz")
	for end := time.Now().Add(10 * time.Second); code != http.StatusOK && time.Now().Before(end); code, body = get(t, base+"/readyz") {
		time.Sleep(20 * time.Millisecond)
	}
	if code != http.StatusOK || !strings.Contains(body, `"database":{"ok":true}`) || !strings.Contains(body, `"knowledge_base":{"ok":true}`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	l.say("/help")
	l.expect("/new")
	if code, body := get(t, base+"/metrics"); code != http.StatusOK || !strings.Contains(body, "helpdesk_messages_total 1") {
		t.Errorf("/metrics = %d, want helpdesk_messages_total 1 in:\n%s", code, body)
	}
	l.say("/quit")
	l.expect("bye")
	if code := l.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	// The console is the chat, so the log is in the data directory, not
	// interleaved with it.
	log, err := os.ReadFile(filepath.Join(dir, "helpdesk.log"))
	if err != nil || !strings.Contains(string(log), "http listening") {
		t.Errorf("log file: %v\n%s", err, log)
	}
	if s := l.stderr(); strings.Contains(s, "level=") {
		t.Errorf("log lines on stderr in the console:\n%s", s)
	}
}

// Slack over the HTTP Events API with a token Slack refuses: /healthz and
// /readyz say so instead of ok, the start-up check logs what to do, and
// the log is on stderr as a service's should be; once Slack takes the
// token, both turn healthy.
func TestSlackHTTPModeHealth(t *testing.T) {
	s := newSlackAPI(t)
	s.members["CTRIAGE"] = true
	s.set(func(s *slackAPI) { s.authErr = "invalid_auth" })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("triage: {channel: CTRIAGE}\nslack: {socket_mode: false}\nhttp: {addr: \"127.0.0.1:0\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := startLive(t, []string{"-config", cfg, "-data", dir}, map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": s.url()})
	base := l.httpBase()
	l.expect("Stop it with Ctrl-C")
	waitFor(t, "healthz to report the refused token", func() bool {
		code, body := get(t, base+"/healthz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "invalid_auth")
	})
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "first successful call") {
		t.Errorf("/readyz = %d %s", code, body)
	}
	waitFor(t, "the start-up check on stderr", func() bool {
		return strings.Contains(l.stderr(), "start-up check: Slack refused SLACK_BOT_TOKEN (invalid_auth)")
	})
	if _, err := os.Stat(filepath.Join(dir, "helpdesk.log")); !os.IsNotExist(err) {
		t.Errorf("a log file was written (%v); a service logs to stderr", err)
	}

	s.set(func(s *slackAPI) { s.authErr = "" })
	waitFor(t, "healthz to turn healthy", func() bool {
		code, body := get(t, base+"/healthz")
		return code == http.StatusOK && strings.Contains(body, `"slack":{"ok":true}`)
	})
	// Ready too, once the KB index (built in the background) is.
	waitFor(t, "readyz once Slack answered", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == http.StatusOK
	})
	if code := l.exit(); code != 0 {
		t.Errorf("exit %d; stderr:\n%s", code, l.stderr())
	}
}

// waitFor polls cond; the deadline only stops a hung test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// /readyz waits for the knowledge base's index, which builds in the
// background, and says so meanwhile.
func TestReadyWaitsForKBIndex(t *testing.T) {
	w, err := listenWeb("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.close)
	w.database.Store(true)
	w.setChats([]*probe{{name: "console"}})
	ready := make(chan struct{})
	w.setKB(ready)
	rec := httptest.NewRecorder()
	w.serveReady(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "building the search index") {
		t.Errorf("/readyz while the index builds = %d %s", rec.Code, rec.Body)
	}
	close(ready)
	rec = httptest.NewRecorder()
	w.serveReady(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"knowledge_base":{"ok":true}`) {
		t.Errorf("/readyz once built = %d %s", rec.Code, rec.Body)
	}
}
