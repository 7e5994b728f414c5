package slack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// httpRig is the desk in HTTP mode with its routes served on loopback.
type httpRig struct {
	*rig
	srv *httptest.Server
	// handling counts requests whose handler has not returned: Slack has
	// its answer as soon as the request is acknowledged, while the
	// handler goes on to route the event and hand it to the pool.
	handling sync.WaitGroup
}

func newHTTPRig(t *testing.T) *httpRig { return newHTTPRigOn(t, nil) }

// newHTTPRigOn is newHTTPRig on fake (nil: a new one).
func newHTTPRigOn(t *testing.T, fake *fakeSlack) *httpRig {
	r := newRig(t, rigOptions{fake: fake})
	h := &httpRig{rig: r}
	mux := http.NewServeMux()
	for pattern, route := range r.ad.Routes() {
		mux.Handle(pattern, route)
	}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.handling.Add(1)
		defer h.handling.Done()
		mux.ServeHTTP(w, req)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// settle is rig.settle for HTTP mode: every request sent so far was
// handled to the end. A handler starts before its client has an answer,
// so the requests the test made are counted; once their handlers have
// returned, their work is on the pool, and idle and drained wait for it.
func (h *httpRig) settle() {
	h.t.Helper()
	h.handling.Wait()
	h.idle()
	h.drained()
}

// sign sets the headers Slack would: v0 HMAC-SHA256 of "v0:ts:body".
func sign(req *http.Request, body []byte, at time.Time, secret string) {
	ts := strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
}

// do posts body to path, signed at at with secret, and returns the answer.
func (h *httpRig) do(path, contentType string, body []byte, at time.Time, secret string, header ...string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	sign(req, body, at, secret)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHTTPRefusesForgedAndStaleRequests(t *testing.T) {
	h := newHTTPRig(t)
	body := mustJSON(t, messageEvent("EvF1", "D"+aliceID, "im", aliceID, "my printer is on fire", "1800000000.000001", ""))
	for _, c := range []struct {
		name   string
		at     time.Time
		secret string
	}{
		{"forged", time.Now(), "not-the-secret"},
		{"stale", time.Now().Add(-6 * time.Minute), signingSecret},
		{"from the future", time.Now().Add(6 * time.Minute), signingSecret},
	} {
		for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactivity"} {
			if code, _ := h.do(path, "application/json", body, c.at, c.secret); code != http.StatusUnauthorized {
				t.Errorf("%s request to %s: %d, want 401", c.name, path, code)
			}
		}
	}
	// Unsigned altogether.
	resp, err := http.Post(h.srv.URL+"/slack/events", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}
	h.settle()
	if got := h.fake.Posts(0); len(got) != 0 {
		t.Errorf("refused requests were acted on:\n%s", bodies(got))
	}
}

func TestHTTPEventsAndRetries(t *testing.T) {
	h := newHTTPRig(t)
	code, got := h.do("/slack/events", "application/json", []byte(`{"type":"url_verification","token":"x","challenge":"c-123"}`), time.Now(), signingSecret)
	if code != http.StatusOK || got != "c-123" {
		t.Fatalf("url_verification: %d %q", code, got)
	}

	body := mustJSON(t, messageEvent("EvH1", "D"+aliceID, "im", aliceID, "I need a new keyboard", "1800000000.000001", ""))
	start := time.Now()
	if code, _ := h.do("/slack/events", "application/json", body, time.Now(), signingSecret); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("acknowledged after %v", d)
	}
	h.fake.waitPost("the answer", 0, func(p slackfake.Post) bool { return p.Channel == "D"+aliceID })
	// Slack's retry of the same event.
	if code, _ := h.do("/slack/events", "application/json", body, time.Now(), signingSecret, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"); code != http.StatusOK {
		t.Fatalf("retry: %d", code)
	}
	h.settle()
	n := 0
	for _, p := range h.fake.Posts(0) {
		if p.Channel == "D"+aliceID {
			n++
		}
	}
	first := len(h.fake.Posts(0))
	if n == 0 || n != first {
		t.Errorf("posts = %d", n)
	}
	// Answered once: the retry added nothing (the first answer may be
	// several posts).
	h.do("/slack/events", "application/json", body, time.Now(), signingSecret, "X-Slack-Retry-Num", "2")
	h.settle()
	if again := len(h.fake.Posts(0)); again != first {
		t.Errorf("retry answered again: %d posts, then %d", first, again)
	}
}

func TestHTTPSlashCommandAndModalErrors(t *testing.T) {
	h := newHTTPRig(t)
	form := url.Values{"command": {"/helpdesk"}, "text": {"help"}, "user_id": {bobID}, "channel_id": {"CGENERAL"},
		"response_url": {h.fake.ResponseURL("h1")}, "trigger_id": {"t-h1"}}.Encode()
	if code, _ := h.do("/slack/commands", "application/x-www-form-urlencoded", []byte(form), time.Now(), signingSecret); code != http.StatusOK {
		t.Fatalf("command: %d", code)
	}
	got := h.fake.waitPost("help", 0, func(p slackfake.Post) bool { return p.Channel == "h1" })
	if !got.Ephemeral || !strings.Contains(got.Body(), "/helpdesk") {
		t.Errorf("help = %+v", got)
	}

	// A modal submitted over HTTP with a missing field is answered with
	// the field's error in the response.
	meta := string(mustJSON(t, formMeta{Action: "resolve", Value: "1", Channel: triageChannel}))
	view := map[string]any{"callback_id": formCallbackID, "private_metadata": meta}
	payload := mustJSON(t, viewSubmission("t-h2", agentID, "VH2", view, map[string]string{"text": ""}))
	body := url.Values{"payload": {string(payload)}}.Encode()
	code, resp := h.do("/slack/interactivity", "application/x-www-form-urlencoded", []byte(body), time.Now(), signingSecret)
	if code != http.StatusOK || !strings.Contains(resp, `"response_action":"errors"`) || !strings.Contains(resp, `"text"`) {
		t.Errorf("modal errors: %d %s", code, resp)
	}
}

// TestSSLCheckDoesNothing: Slack's certificate probe of the command URL
// is answered 200, signed or not, and runs nothing; nor does a command
// without a user.
func TestSSLCheckDoesNothing(t *testing.T) {
	h := newHTTPRig(t)
	probe := []byte(url.Values{"ssl_check": {"1"}, "token": {"verification-token"}}.Encode())
	for _, secret := range []string{signingSecret, "not-the-secret"} {
		if code, body := h.do("/slack/commands", "application/x-www-form-urlencoded", probe, time.Now(), secret); code != http.StatusOK || body != "" {
			t.Errorf("ssl_check signed with %q: %d %q, want 200 and nothing", secret, code, body)
		}
	}
	noUser := []byte(url.Values{"command": {"/helpdesk"}, "text": {"help"}, "channel_id": {"CGENERAL"}, "trigger_id": {"t-x"}}.Encode())
	if code, _ := h.do("/slack/commands", "application/x-www-form-urlencoded", noUser, time.Now(), signingSecret); code != http.StatusOK {
		t.Errorf("command without a user: %d", code)
	}
	h.settle()
	for _, c := range h.fake.Calls() {
		if c.Method != "auth.test" { // the start-up check
			t.Errorf("the probe called Slack: %s %v", c.Method, c.Params)
		}
	}
}
