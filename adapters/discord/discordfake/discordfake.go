// Package discordfake is Discord on loopback for the real discordgo
// session: the REST routes the help desk calls and a gateway websocket
// that says Hello, takes Identify or Resume, answers heartbeats and sends
// the dispatches a driver asks for (a direct message, a guild message, a
// button press, a slash command, or any event as it stands). The round
// trip and Discord's rate limits are parameters, so a load run sees what a
// busy server on the real Discord would.
//
// It is also the adapter's test double: it can log every REST request
// (Options.KeepCalls, Calls, WaitCall), fail requests as Discord would
// (AddFault), take the gateway down (SetGatewayDown), report what the bot
// identified with (Stats), and be set up as a badly installed bot sees it
// (Options.NoMessageContent, Everyone, Overwrites).
//
// Point the bot at it with DISCORD_API_URL set to URL(), or give discordgo
// an HTTP client with Transport(): discordgo asks GET /gateway/bot for the
// websocket's address and the fake names itself.
package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
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

// Options configure the fake.
type Options struct {
	// Latency is added to every REST answer: the round trip to Discord.
	Latency time.Duration
	// Limits are the rate limits enforced (none when zero).
	Limits Limits
	// OnPost hears of every message the bot creates or edits and every
	// interaction callback, as it happens; it must not block.
	OnPost func(Post)
	// KeepCalls logs every REST request for Calls and WaitCall. A load
	// run leaves it off: the log grows with the run, in the process whose
	// memory the run measures.
	KeepCalls bool

	// The guild as the bot finds it; the zero values are a bot installed
	// as it should be.
	//
	// NoMessageContent reports the application without the Message
	// Content intent (its flags 0).
	NoMessageContent bool
	// Everyone is what the @everyone role, the bot's only one, may do in
	// the guild; zero is every permission.
	Everyone int64
	// Overwrites are the permission overwrites of the fake's channels,
	// by channel ID.
	Overwrites map[string][]Overwrite
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
	faults   []*fault
	calls    []Call
	logged   chan struct{} // closed at the next call logged, when someone waits
	gw       *gwConn
	gwDown   bool // the gateway refuses connections (an outage)
	ready    chan struct{}
	closed   sync.Once
}

// Start runs a fake Discord on a loopback port.
func Start(o Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("discordfake: listen: %w", err)
	}
	s := &Server{opts: o, ln: ln, lim: newLimiter(o.Limits), stats: newStats(), nextID: firstID,
		channels: map[string]channel{}, byNonce: map[string]json.RawMessage{}, tokens: map[string]string{},
		ready: make(chan struct{})}
	for _, id := range []string{Triage, Help, Other} {
		s.channels[id] = channel{ID: id, Type: 0, GuildID: Guild, Overwrites: o.Overwrites[id]}
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

// Transport sends requests for any host (discordgo's https://discord.com)
// to the fake, for an http.Client given to discordgo.
func (s *Server) Transport() http.RoundTripper { return redirect{s.ln.Addr().String()} }

type redirect struct{ host string }

func (rt redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = "http", rt.host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// Close stops the fake and drops the gateway connection: from then on
// the bot finds Discord unreachable. Closing again does nothing.
func (s *Server) Close() {
	s.closed.Do(func() {
		s.mu.Lock()
		gw := s.gw
		s.mu.Unlock()
		if gw != nil {
			_ = gw.c.Close()
		}
		_ = s.srv.Close()
	})
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

// NewID is a fresh snowflake, for a driver that builds its own dispatch.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id()
}

// id is a fresh snowflake; s.mu is held.
func (s *Server) id() string {
	s.nextID++
	return fmt.Sprint(s.nextID)
}
