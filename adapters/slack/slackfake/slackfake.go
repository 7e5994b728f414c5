// Package slackfake is Slack on loopback: the Web API methods the help
// desk calls, a Socket Mode websocket and response_urls, with the
// round-trip latency, the rate limits and the failures of the real one as
// parameters. The real slack-go client talks to it unchanged. It serves
// the load tool (helpdesk bench) and the Slack adapter's tests, which
// also read what it recorded (Options.Record) and wait on it (Wait); it
// never reaches Slack.
package slackfake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	// Users are the people users.info knows by name and email; anyone
	// else gets a made-up profile ("Employee U123", u123@example.com), so
	// a load of thousands needs no list.
	Users map[string]User
	// Groups are user groups (S…) and their members, for
	// usergroups.users.list.
	Groups map[string][]string
	// Scopes are the bot token's, as auth.test lists them in
	// X-OAuth-Scopes; nil grants the ten the help desk's manifest asks.
	Scopes []string
	// Channels, when set, are the channels conversations.history knows,
	// each with whether the bot is a member: not_in_channel when it is
	// not, channel_not_found for one not listed. Nil: every channel
	// exists and has the bot.
	Channels map[string]bool
	// Ping is how often Slack pings the Socket Mode connection (0: 5 s).
	// slack-go reconnects when a ping is later than its ping interval.
	Ping time.Duration
	// Record keeps every Web API call, post and acknowledgement for
	// Calls, Posts and Ack: for tests. Off, a long load run does not grow
	// with them.
	Record bool
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
	faults      map[string][]fault // by method, the next first
	log         record             // with Record
	// changed is closed and replaced at every change Wait may be waiting
	// for: a call, a post, an ack, a connection made or lost.
	changed chan struct{}

	connMu sync.Mutex
	conn   *websocket.Conn
	conns  int        // Socket Mode connections accepted so far
	wmu    sync.Mutex // one writer at a time on conn
	done   chan struct{}
}

// Start listens on a loopback port and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Ping <= 0 {
		opts.Ping = 5 * time.Second // slack-go's own limit is 30 s
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("slackfake: listen: %w", err)
	}
	s := &Server{opts: opts, lim: newLimiter(opts.Limits), ln: ln, messages: map[string]*Post{},
		ts: 1700000000, done: make(chan struct{}), stats: newStats(),
		faults: map[string][]fault{}, log: newRecord(), changed: make(chan struct{})}
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
	s.Drop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// APIURL is the Web API base, for SLACK_API_URL or slack.OptionAPIURL.
func (s *Server) APIURL() string { return "http://" + s.ln.Addr().String() + "/api/" }

// ResponseURL is a response_url on the fake; what the bot posts to it is
// a Post of method "response_url" whose Channel is id.
func (s *Server) ResponseURL(id string) string {
	return "http://" + s.ln.Addr().String() + "/respond/" + url.PathEscape(id)
}

// Wait calls cond until it holds: now, and again after each call, post,
// acknowledgement and connection the fake sees. cond may call the
// Server's methods. It fails when ctx ends or the Server closes.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		// Taken before cond looks, so no change slips between the two.
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("slackfake: wait: %w", ctx.Err())
		case <-s.done:
			return errClosed
		}
	}
}

// changedLocked wakes the waiters; s.mu is held.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextTS() string {
	s.ts++
	return fmt.Sprintf("%d.%06d", s.ts, s.ts%1000000)
}

func (s *Server) newTS() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextTS()
}

var (
	// errNoConnection is what sending an envelope gets while the bot is
	// not connected.
	errNoConnection = errors.New("slackfake: no Socket Mode connection")
	errClosed       = errors.New("slackfake: closed")
)
