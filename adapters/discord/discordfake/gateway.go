package discordfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// errNoGateway is returned by the drivers before the bot has connected.
var errNoGateway = errors.New("discordfake: no gateway connection")

// gwConn is one gateway connection.
type gwConn struct {
	c   *websocket.Conn
	mu  sync.Mutex
	seq int
}

func (g *gwConn) send(v any) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.c.WriteJSON(v)
}

// dispatch sends an op 0 event.
func (g *gwConn) dispatch(t string, d any) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	return g.c.WriteJSON(map[string]any{"op": 0, "t": t, "s": g.seq, "d": d})
}

// serveGateway runs one gateway session: Hello, Identify → READY (or
// Resume → RESUMED), then heartbeat acks until the connection closes.
// While the gateway is down it refuses the connection.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.gwDown
	s.mu.Unlock()
	if down {
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g := &gwConn{c: c}
	_ = g.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}})
	var hello struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if err := c.ReadJSON(&hello); err != nil || (hello.Op != 2 && hello.Op != 6) {
		_ = c.Close()
		return
	}
	s.stats.session(hello.Op == 6, hello.D)
	// The drivers dispatch on this connection from now on: by the time
	// the bot has read READY, a dispatch does not go to the one before.
	s.mu.Lock()
	s.gw = g
	s.mu.Unlock()
	if hello.Op == 2 {
		_ = g.dispatch("READY", map[string]any{
			"v": 10, "session_id": "fake-session", "resume_gateway_url": "ws://" + r.Host + "/gateway",
			"user":        map[string]any{"id": BotID, "username": "helpbot", "bot": true},
			"application": map[string]any{"id": AppID, "flags": s.appFlags()},
			"guilds":      []any{},
		})
	} else {
		_ = g.dispatch("RESUMED", map[string]any{})
	}
	select {
	case <-s.ready:
	default:
		close(s.ready)
	}
	go func() {
		defer c.Close()
		for {
			var m struct {
				Op int `json:"op"`
			}
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			if m.Op == 1 {
				_ = g.send(map[string]any{"op": 11})
			}
		}
	}()
}

// SetGatewayDown takes the gateway down (the connection drops and new
// ones are refused with 503, as in an outage) or, with false, up again:
// the bot's next attempt connects.
func (s *Server) SetGatewayDown(down bool) {
	s.mu.Lock()
	s.gwDown = down
	gw := s.gw
	s.mu.Unlock()
	if down && gw != nil {
		_ = gw.c.Close()
	}
}

// Dispatch sends event t with data d on the bot's gateway connection as
// it stands: for a payload no driver builds (a hostile one, another
// bot's message).
func (s *Server) Dispatch(t string, d any) error {
	g, err := s.conn()
	if err != nil {
		return err
	}
	if err := g.dispatch(t, d); err != nil {
		return fmt.Errorf("discordfake: dispatch %s: %w", t, err)
	}
	return nil
}

func (s *Server) conn() (*gwConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw == nil {
		return nil, errNoGateway
	}
	return s.gw, nil
}
