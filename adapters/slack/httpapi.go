package slack

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds a request body from Slack.
const maxBody = 1 << 20

// maxSkew is how old (or early) a signed request may be: Slack's advice
// against replayed requests.
const maxSkew = 5 * time.Minute

// Routes are the HTTP endpoints for the Events API, the /helpdesk slash
// command and interactivity (buttons, modals), by ServeMux pattern. Every
// request must carry Slack's signature, made with the signing secret,
// and be under five minutes old; others get 401 and are logged.
func (a *Adapter) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"POST /slack/events":        http.HandlerFunc(a.serveEvents),
		"POST /slack/commands":      http.HandlerFunc(a.serveCommands),
		"POST /slack/interactivity": http.HandlerFunc(a.serveInteractivity),
	}
}

// serveEvents answers url_verification, and acknowledges event callbacks
// before handing them to the pool. A retry (X-Slack-Retry-Num) carries the
// event ID of the first delivery and is dropped as a duplicate.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "unreadable event", http.StatusBadRequest)
		return
	}
	if ev.Type == slackevents.URLVerification {
		var c slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, "unreadable challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, c.Challenge)
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.Debug("slack: event redelivered", "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	if !a.eventsAPI(r.Context(), ev) {
		http.Error(w, "event not recorded; send it again", http.StatusServiceUnavailable)
		return
	}
	acknowledge(w, nil)
}

// serveCommands takes the /helpdesk slash command.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "unreadable command", http.StatusBadRequest)
		return
	}
	if cmd.UserID == "" {
		// Nothing to act for: a command is run as its sender.
		a.log.Warn("slack: slash command without a user ignored", "command", cmd.Command)
		acknowledge(w, nil)
		return
	}
	if !a.take(r.Context(), a.slashCommand(cmd)) {
		http.Error(w, "command not recorded; try again", http.StatusServiceUnavailable)
		return
	}
	acknowledge(w, nil)
}

// serveInteractivity takes button presses and modal submissions; a modal
// with errors is answered with them in the response.
func (a *Adapter) serveInteractivity(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "missing payload", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "unreadable payload", http.StatusBadRequest)
		return
	}
	payload, work := a.interactive(cb, json.RawMessage(form.Get("payload")))
	if work != nil && !a.take(r.Context(), *work) {
		http.Error(w, "interaction not recorded; try again", http.StatusServiceUnavailable)
		return
	}
	acknowledge(w, payload)
}

// verified reads the body and checks the request's timestamp against the
// injected clock and its signature against the signing secret.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if sslCheck(r, body) {
		// Slack checking the certificate of a slash command's URL: it
		// wants a 200 and nothing else, and the request may be unsigned
		// (Bolt answers it before verifying, too). Nothing is run.
		acknowledge(w, nil)
		return nil, false
	}
	sec, err := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		return nil, a.refuse(w, r, "missing timestamp")
	}
	if skew := a.now().Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return nil, a.refuse(w, r, "stale timestamp")
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.secret)
	if err != nil {
		return nil, a.refuse(w, r, "unverifiable headers")
	}
	_, _ = sv.Write(body)
	if err := sv.Ensure(); err != nil {
		return nil, a.refuse(w, r, "bad signature")
	}
	return body, true
}

// sslCheck reports whether a request is Slack's ssl_check=1 probe.
func sslCheck(r *http.Request, body []byte) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || !bytes.Contains(body, []byte("ssl_check=")) {
		return false
	}
	form, err := url.ParseQuery(string(body))
	return err == nil && form.Get("ssl_check") == "1"
}

// refuse answers 401 and logs why, without the body.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, why string) bool {
	a.log.Warn("slack: request refused", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", why)
	http.Error(w, "invalid or stale signature", http.StatusUnauthorized)
	return false
}

// acknowledge sends Slack its 200 at once, with payload as JSON when set,
// so the work that follows in the handler cannot run out Slack's 3 s.
func acknowledge(w http.ResponseWriter, payload any) {
	var body []byte
	if payload != nil {
		if b, err := json.Marshal(payload); err == nil {
			body = b
			w.Header().Set("Content-Type", "application/json")
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	_ = http.NewResponseController(w).Flush()
}
