package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	slackadapter "github.com/helpdesk-bot/helpdesk/adapters/slack"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// slackAPI is a small Slack Web API on loopback for the program's own
// tests: auth.test with the token's scopes, apps.connections.open, and
// conversations.history for channel membership. The adapter's tests run
// the full fake; this one lets the doctor and the program be driven from
// here.
type slackAPI struct {
	*httptest.Server
	mu      sync.Mutex
	authErr string          // the bot token's refusal on every call; "" answers ok
	scopes  []string        // the token's scopes
	members map[string]bool // channel → the bot is in it
	calls   map[string]int
}

func newSlackAPI(t *testing.T) *slackAPI {
	scopes, err := slackadapter.Scopes()
	if err != nil {
		t.Fatal(err)
	}
	s := &slackAPI{scopes: scopes, members: map[string]bool{}, calls: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *slackAPI) set(fn func(s *slackAPI)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

func (s *slackAPI) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	s.calls[method]++
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	answer := func(v map[string]any) { _ = json.NewEncoder(w).Encode(v) }
	if s.authErr != "" && method != "apps.connections.open" {
		answer(map[string]any{"ok": false, "error": s.authErr}) // the bot token refused everywhere
		return
	}
	switch method {
	case "auth.test":
		w.Header().Set("X-OAuth-Scopes", strings.Join(s.scopes, ","))
		answer(map[string]any{"ok": true, "user_id": "UBOT", "user": "helpdesk", "team": "Acme"})
	case "apps.connections.open":
		answer(map[string]any{"ok": true, "url": "ws://127.0.0.1:1/"})
	case "conversations.history":
		member, known := s.members[r.Form.Get("channel")]
		switch {
		case !known:
			answer(map[string]any{"ok": false, "error": "channel_not_found"})
		case !member:
			answer(map[string]any{"ok": false, "error": "not_in_channel"})
		default:
			answer(map[string]any{"ok": true, "messages": []any{}})
		}
	case "chat.postMessage":
		answer(map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": fmt.Sprintf("%d.000100", time.Now().UnixNano())})
	default:
		answer(map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (s *slackAPI) url() string { return s.URL + "/api/" }

// doctor runs "helpdesk doctor" with the config text and the environment,
// and returns its exit code and output.
func doctor(t *testing.T, dir, configText string, vars map[string]string) (int, string) {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	e := env{stdout: &out, stderr: &errOut, now: time.Now, getenv: func(k string) string { return vars[k] },
		environ: func() []string {
			var kv []string
			for k, v := range vars {
				kv = append(kv, k+"="+v)
			}
			return kv
		}}
	code := run(context.Background(), []string{"doctor", "-config", path, "-data", dir}, e)
	if errOut.Len() > 0 {
		t.Errorf("stderr: %s", errOut.String())
	}
	return code, out.String()
}

const slackConfig = `
triage: {channel: CTRIAGE}
agents:
  - {name: Dana, ids: ["slack:UDANA"]}
slack:
  help_channels: [CHELP]
`

// The doctor against a Slack on loopback, in each way an installation
// goes wrong: each failure is printed with its fix, and fails the run.
func TestDoctorSlack(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, s *slackAPI, vars map[string]string, dir string)
		code  int
		want  []string
	}{
		{"good", nil, 0, []string{
			"ok    config", "and HELPDESK_HTTP_ADDR; the chat is slack",
			"ok    slack bot token", "@helpdesk (UBOT) in Acme",
			"ok    slack scopes", "ok    slack app token", "Socket Mode can connect",
			"ok    slack channel CTRIAGE (triage.channel)", "ok    slack channel CHELP (slack.help_channels[0])",
			"ok    database", "is new", "ok    knowledge base", "35 articles",
			"Every check passed."}},
		{"revoked token", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			s.set(func(s *slackAPI) { s.authErr = "token_revoked" })
		}, 1, []string{"FAIL  slack bot token", "no longer works (token_revoked)",
			"→ reinstall the app (Install App → Reinstall to Workspace)", "1 check failed"}},
		{"missing scope", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			s.set(func(s *slackAPI) { s.scopes = s.scopes[:len(s.scopes)-1] })
		}, 1, []string{"FAIL  slack scopes", "lacks users:read.email", "→ add them under OAuth & Permissions"}},
		{"bot not in the channel", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			s.set(func(s *slackAPI) { s.members["CTRIAGE"] = false })
		}, 1, []string{"FAIL  slack channel CTRIAGE (triage.channel)", "not a member", "→ in Slack, open the channel and type /invite @helpdesk"}},
		{"database read-only", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			db := filepath.Join(dir, "helpdesk.db")
			st, err := sqlite.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			st.Close()
			makeReadOnly(t, db)
		}, 1, []string{"FAIL  database", "refuses writes", "readonly", "→ let the user running helpdesk write"}},
		{"LLM down", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			vars["HELPDESK_LLM_BASE_URL"] = "http://127.0.0.1:1/v1"
			vars["HELPDESK_LLM_MODEL"] = "llama3.1:8b"
		}, 1, []string{"FAIL  llm server", "cannot reach http://127.0.0.1:1/v1", "→ start the server", "offline"}},
		{"misspelt variable", func(t *testing.T, s *slackAPI, vars map[string]string, dir string) {
			vars["HELPDESK_LOG_LEVL"] = "debug"
		}, 0, []string{"warn  environment", "HELPDESK_LOG_LEVL sets nothing", "→ check the spelling", "with 1 warning"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s := newSlackAPI(t)
			s.members["CTRIAGE"], s.members["CHELP"] = true, true
			vars := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": s.url(), "HELPDESK_HTTP_ADDR": "127.0.0.1:0"}
			if c.setup != nil {
				c.setup(t, s, vars, dir)
			}
			code, out := doctor(t, dir, slackConfig, vars)
			if code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
			contains(t, out, c.want...)
		})
	}
}

// A config that does not load is the one failure, with the loader's
// message; a platform without agents is a warning.
func TestDoctorConfig(t *testing.T) {
	code, out := doctor(t, t.TempDir(), "triage: {platform: console}\n", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"})
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	contains(t, out, "FAIL  config", "triage.platform (line 1)", "platform: slack", "1 check failed")

	s := newSlackAPI(t)
	s.members["CTRIAGE"] = true
	code, out = doctor(t, t.TempDir(), "triage: {channel: CTRIAGE}\n", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": s.url()})
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	contains(t, out, "warn  agents", "nobody is an agent on slack", "warn  http", "→ set http.addr")
}

// Discord through the doctor: a token Discord refuses, then the intent
// left off in the portal.
func TestDoctorDiscord(t *testing.T) {
	var mu sync.Mutex
	status, flags := http.StatusOK, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"message": "401: Unauthorized", "code": 0}`)
			return
		}
		switch r.URL.Path {
		case "/api/v9/users/@me":
			fmt.Fprint(w, `{"id": "900", "username": "helpbot", "bot": true}`)
		case "/api/v9/oauth2/applications/@me":
			fmt.Fprintf(w, `{"id": "800", "name": "Help Desk", "flags": %d}`, flags)
		case "/api/v9/channels/300300":
			fmt.Fprint(w, `{"id": "300300", "type": 0, "guild_id": "100100"}`)
		case "/api/v9/guilds/100100":
			fmt.Fprintf(w, `{"id": "100100", "owner_id": "1", "roles": [{"id": "100100", "name": "@everyone", "permissions": "%d"}]}`, int64(1<<40-1))
		case "/api/v9/guilds/100100/members/900":
			fmt.Fprint(w, `{"user": {"id": "900"}, "roles": []}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message": "Unknown", "code": 0}`)
		}
	}))
	defer srv.Close()
	vars := map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_API_URL": srv.URL}
	cfg := "triage: {channel: \"300300\"}\nagents: [{name: Dana, ids: [\"discord:111111\"]}]\n"

	status = http.StatusUnauthorized
	code, out := doctor(t, t.TempDir(), cfg, vars)
	if code != 1 {
		t.Errorf("revoked token: exit %d", code)
	}
	contains(t, out, "FAIL  discord bot token", "refused DISCORD_BOT_TOKEN (401", "→ on your application's Bot page", "Reset Token")

	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	code, out = doctor(t, t.TempDir(), cfg, vars)
	if code != 1 {
		t.Errorf("intent off: exit %d", code)
	}
	contains(t, out, "ok    discord bot token", "helpbot (900)", "FAIL  discord message content intent", "4014",
		"→ in the Developer Portal", "ok    discord channel 300300 (triage.channel)")

	mu.Lock()
	flags = 1 << 18
	mu.Unlock()
	if code, out = doctor(t, t.TempDir(), cfg, vars); code != 0 {
		t.Errorf("all good: exit %d\n%s", code, out)
	}
}

// makeReadOnly makes path unwritable for this process until the test
// ends: by its mode, or for root, who ignores modes, by the immutable
// attribute.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s read-only for root: chattr: %v %s", path, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}
