// Package slackfake is Slack on loopback: the Web API methods the help
// desk calls and a Socket Mode websocket, with the round-trip latency and
// the rate limits of the real one as parameters. The real slack-go client
// talks to it unchanged. It serves the load tool (helpdesk bench) and
// tests; it never reaches Slack.
package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Options shape a Server.
type Options struct {
	// Latency is added to every Web API answer: the round trip to Slack.
	Latency time.Duration
	// Limits are enforced with 429 and Retry-After; the zero value
	// enforces none.
	Limits Limits
	// Groups are user groups (S…) and their members, for
	// usergroups.users.list.
	Groups map[string][]string
	// OnPost hears of every message the bot posted, edited or answered
	// through a response_url, once the fake has it (before the latency is
	// waited out, as Slack shows a message before its answer arrives).
	OnPost func(p Post)
	// OnAck hears of every Socket Mode acknowledgement.
	OnAck func(envelopeID string, at time.Time)
	// Now is the clock of the limits; nil means time.Now.
	Now func() time.Time
	// Redeliver keeps every envelope until it is acknowledged and sends
	// the unacknowledged ones again on the next Socket Mode connection,
	// as Slack does; an envelope sent while the bot is not connected
	// waits for it instead of failing. For crash tests: a bot killed
	// after reading an envelope and before acking it gets it again.
	Redeliver bool
}

// Post is one message the bot sent, as the fake stores it.
type Post struct {
	Method    string // chat.postMessage, chat.postEphemeral, chat.update, response_url
	Channel   string
	TS        string
	ThreadTS  string
	User      string // an ephemeral message's recipient
	Text      string
	Blocks    json.RawMessage
	Ephemeral bool
	At        time.Time
}

// Button finds the post's button whose action_id names action (the help
// desk writes "action#n"): its action_id and value.
func (p Post) Button(action string) (actionID, value string, ok bool) {
	var blocks []struct {
		Elements []struct {
			Type     string `json:"type"`
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if json.Unmarshal(p.Blocks, &blocks) != nil {
		return "", "", false
	}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if name, _, _ := strings.Cut(e.ActionID, "#"); e.Type == "button" && name == action {
				return e.ActionID, e.Value, true
			}
		}
	}
	return "", "", false
}

// Server is a fake Slack on 127.0.0.1.
type Server struct {
	opts  Options
	lim   *limiter
	srv   *http.Server
	ln    net.Listener
	stats stats

	mu       sync.Mutex
	ts       int64
	messages map[string]*Post // "channel:ts" → current state, for chat.update
	envelope int64
	pending  []pendingEnvelope // with Redeliver: sent, not yet acknowledged, in order
	// redelivered counts envelopes sent again.
	redelivered int

	connMu sync.Mutex
	conn   *websocket.Conn
	ready  chan struct{} // closed at the first Socket Mode connection
	once   sync.Once
	wmu    sync.Mutex // one writer at a time on conn
	done   chan struct{}
}

// Start listens on a loopback port and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("slackfake: listen: %w", err)
	}
	s := &Server{opts: opts, lim: newLimiter(opts.Limits), ln: ln, messages: map[string]*Post{},
		ts: 1700000000, ready: make(chan struct{}), done: make(chan struct{}), stats: newStats()}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/respond/", s.serveResponse)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server and drops the Socket Mode connection.
func (s *Server) Close() {
	close(s.done)
	s.connMu.Lock()
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.connMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// APIURL is the Web API base, for SLACK_API_URL or slack.OptionAPIURL.
func (s *Server) APIURL() string { return "http://" + s.ln.Addr().String() + "/api/" }

// ResponseURL is a response_url on the fake for a slash command.
func (s *Server) ResponseURL(id string) string {
	return "http://" + s.ln.Addr().String() + "/respond/" + url.PathEscape(id)
}

// WaitConnected waits for the bot's Socket Mode connection.
func (s *Server) WaitConnected(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slackfake: the bot never connected over Socket Mode: %w", ctx.Err())
	}
}

func (s *Server) nextTS() string {
	s.ts++
	return fmt.Sprintf("%d.%06d", s.ts, s.ts%1000000)
}

// form reads a Web API call's parameters, form-encoded or JSON.
func form(r *http.Request) url.Values {
	body, _ := io.ReadAll(r.Body)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		v, _ := url.ParseQuery(string(body))
		return v
	}
	v := url.Values{}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	for k, x := range m {
		if str, ok := x.(string); ok {
			v.Set(k, str)
		} else {
			b, _ := json.Marshal(x)
			v.Set(k, string(b))
		}
	}
	return v
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	f := form(r)
	// The round trip: Slack answers after it, whatever it answers.
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	channel := f.Get("channel")
	if ok, wait := s.lim.admit(method, channel, s.opts.Now()); !ok {
		s.stats.call(method, true)
		w.Header().Set("Retry-After", fmt.Sprint(retryAfter(wait)))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	s.stats.call(method, false)
	answer := func(v map[string]any) {
		v["ok"] = true
		_ = json.NewEncoder(w).Encode(v)
	}
	switch method {
	case "apps.connections.open":
		answer(map[string]any{"url": "ws://" + r.Host + "/ws"})
	case "auth.test":
		w.Header().Set("X-OAuth-Scopes", "chat:write,im:write,im:history,app_mentions:read,channels:history,groups:history,users:read,users:read.email,usergroups:read,commands")
		answer(map[string]any{"user_id": "UBOT", "user": "helpdesk", "bot_id": "BBOT", "team_id": "T1", "team": "Bench"})
	case "conversations.open":
		answer(map[string]any{"channel": map[string]any{"id": "D" + f.Get("users")}})
	case "conversations.history":
		answer(map[string]any{"messages": []any{}})
	case "users.info":
		id := f.Get("user")
		name := "Employee " + id
		answer(map[string]any{"user": map[string]any{"id": id, "name": strings.ToLower(id), "real_name": name,
			"profile": map[string]any{"display_name": name, "real_name": name, "email": strings.ToLower(id) + "@example.com"}}})
	case "usergroups.users.list":
		answer(map[string]any{"users": s.opts.Groups[f.Get("usergroup")]})
	case "views.open":
		answer(map[string]any{"view": map[string]any{"id": "V" + s.newTS()}})
	case "chat.postMessage", "chat.postEphemeral":
		p := Post{Method: method, Channel: channel, ThreadTS: f.Get("thread_ts"), User: f.Get("user"),
			Text: f.Get("text"), Blocks: json.RawMessage(f.Get("blocks")), Ephemeral: method == "chat.postEphemeral", At: s.opts.Now()}
		if strings.HasPrefix(p.Channel, "U") {
			p.Channel = "D" + p.Channel
		}
		s.mu.Lock()
		p.TS = s.nextTS()
		if !p.Ephemeral {
			s.messages[p.Channel+":"+p.TS] = &p
		}
		s.mu.Unlock()
		s.stats.post(p.Channel, p.At)
		s.posted(p)
		if p.Ephemeral {
			answer(map[string]any{"message_ts": p.TS})
			return
		}
		answer(map[string]any{"channel": p.Channel, "ts": p.TS})
	case "chat.update":
		s.mu.Lock()
		m, ok := s.messages[channel+":"+f.Get("ts")]
		var up Post
		if ok {
			m.Text, m.Blocks = f.Get("text"), json.RawMessage(f.Get("blocks"))
			up = *m
		}
		s.mu.Unlock()
		if !ok {
			_, _ = io.WriteString(w, `{"ok":false,"error":"message_not_found"}`)
			return
		}
		up.Method, up.At = method, s.opts.Now()
		s.posted(up)
		answer(map[string]any{"channel": up.Channel, "ts": up.TS, "text": up.Text})
	default:
		_, _ = io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func (s *Server) newTS() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextTS()
}

func (s *Server) posted(p Post) {
	if s.opts.OnPost != nil {
		s.opts.OnPost(p)
	}
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Text         string          `json:"text"`
		ResponseType string          `json:"response_type"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	_ = json.NewDecoder(r.Body).Decode(&m)
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	s.stats.call("response_url", false)
	s.posted(Post{Method: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/respond/"), Text: m.Text,
		Blocks: m.Blocks, Ephemeral: m.ResponseType == "ephemeral", At: s.opts.Now()})
	_, _ = io.WriteString(w, "ok")
}

// errNoConnection is what sending an envelope gets while the bot is not
// connected.
var errNoConnection = errors.New("slackfake: no Socket Mode connection")
