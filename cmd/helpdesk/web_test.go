package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"database":{"ok":true}`) {
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
