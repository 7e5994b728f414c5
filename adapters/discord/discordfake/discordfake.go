// Package discordfake is Discord on loopback for the real discordgo
// session: the REST routes the help desk calls and a gateway websocket
// that says Hello, takes Identify, answers heartbeats and sends the
// dispatches a driver asks for (a direct message, a button press, a slash
// command). The round trip and Discord's rate limits are parameters, so a
// load run sees what a busy server on the real Discord would.
//
// Point the bot at it with DISCORD_API_URL set to URL(): discordgo asks
// GET /gateway/bot for the websocket's address and the fake names itself.
package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// IDs of the fake's one guild and its channels, and of the bot. They are
// snowflakes long enough for the help desk's config to accept.
const (
	BotID   = "900000000000000001"
	AppID   = "800000000000000001"
	Guild   = "100000000000000001"
	Triage  = "300000000000000001"
	Help    = "200000000000000001"
	Other   = "400000000000000001"
	firstID = 500000000000000000
)

// Application flags and the @everyone permissions the fake reports: the
// Message Content intent (limited) and every permission, so the bot's
// start-up checks pass.
const (
	appFlags      = 1 << 18
	everyonePerms = int64(1)<<50 - 1
)

// Options configure the fake.
type Options struct {
	// Latency is added to every REST answer: the round trip to Discord.
	Latency time.Duration
	// Limits are the rate limits enforced (none when zero).
	Limits Limits
	// OnPost hears of every message the bot creates or edits and every
	// interaction callback, as it happens; it must not block.
	OnPost func(Post)
}

// Server is a running fake Discord.
type Server struct {
	opts  Options
	ln    net.Listener
	srv   *http.Server
	lim   *limiter
	stats stats

	mu       sync.Mutex
	nextID   int64
	channels map[string]channel
	byNonce  map[string]json.RawMessage
	tokens   map[string]string // interaction token → its channel
	gw       *gwConn
	ready    chan struct{}
	closing  chan struct{}
}

type channel struct {
	ID       string `json:"id"`
	Type     int    `json:"type"`
	GuildID  string `json:"guild_id,omitempty"`
	ParentID string `json:"parent_id,omitempty"`
	OwnerID  string `json:"owner_id,omitempty"`
}

// Start runs a fake Discord on a loopback port.
func Start(o Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("discordfake: listen: %w", err)
	}
	s := &Server{opts: o, ln: ln, lim: newLimiter(o.Limits), stats: newStats(), nextID: firstID,
		channels: map[string]channel{}, byNonce: map[string]json.RawMessage{}, tokens: map[string]string{},
		ready: make(chan struct{}), closing: make(chan struct{})}
	for _, id := range []string{Triage, Help, Other} {
		s.channels[id] = channel{ID: id, Type: 0, GuildID: Guild}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	mux.HandleFunc("/api/", s.serveREST)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the base URL to give the bot as DISCORD_API_URL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops the fake and drops the gateway connection.
func (s *Server) Close() {
	close(s.closing)
	s.mu.Lock()
	gw := s.gw
	s.mu.Unlock()
	if gw != nil {
		_ = gw.c.Close()
	}
	_ = s.srv.Close()
}

// WaitConnected waits for the bot's gateway session to be READY.
func (s *Server) WaitConnected(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("discordfake: the bot never connected to the gateway: %w", ctx.Err())
	}
}

// DMChannel is the fake's DM channel with user.
func DMChannel(user string) string { return "7" + user }

func (s *Server) id() string {
	s.nextID++
	return fmt.Sprint(s.nextID)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveREST answers one REST request after the round trip, within the
// limits.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api")
	if rest, ok := strings.CutPrefix(path, "/v"); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			path = rest[i:] // "/api/v9/channels/1" → "/channels/1"
		}
	}
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if path == "/gateway" || path == "/gateway/bot" {
		writeJSON(w, 200, map[string]any{"url": "ws://" + r.Host + "/gateway", "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
		return
	}
	route, major := routeOf(r.Method, path)
	interaction := strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
	now := time.Now()
	v := s.lim.admit(route, major, interaction, now)
	v.headers(w.Header(), now)
	s.stats.call(route, v)
	if v.refused {
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.",
			"retry_after": v.retry.Seconds(), "global": v.global})
		return
	}
	status, out, post := s.route(r.Method, path, body)
	if post != nil {
		post.Route, post.At = route, time.Now()
		if post.creates() {
			s.stats.post(post.Channel, post.At)
		}
		if s.opts.OnPost != nil {
			s.opts.OnPost(*post)
		}
	}
	if out == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, out)
}

// routeOf is a request's route template and major parameter: the bucket
// Discord counts it in. A webhook's or interaction's token is part of its
// major parameter.
func routeOf(method, path string) (route, major string) {
	p := strings.Split(strings.Trim(path, "/"), "/")
	tokened := p[0] == "webhooks" || p[0] == "interactions"
	switch {
	case tokened && len(p) >= 3:
		major = p[1] + "/" + p[2]
	case (p[0] == "channels" || p[0] == "guilds") && len(p) >= 2:
		major = p[1]
	}
	for i := range p {
		if isSnowflake(p[i]) || (tokened && i == 2) {
			p[i] = "{id}"
		}
	}
	return method + " /" + strings.Join(p, "/"), major
}

func isSnowflake(s string) bool {
	if len(s) < 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
