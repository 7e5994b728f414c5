package discordfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// tokenPrefix starts the fake's interaction tokens: "tok-" and the
// interaction's ID.
const tokenPrefix = "tok-"

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
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g := &gwConn{c: c}
	_ = g.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}})
	var hello struct {
		Op int `json:"op"`
	}
	if err := c.ReadJSON(&hello); err != nil {
		_ = c.Close()
		return
	}
	switch hello.Op {
	case 2:
		_ = g.dispatch("READY", map[string]any{
			"v": 10, "session_id": "bench-session", "resume_gateway_url": "ws://" + r.Host + "/gateway",
			"user":        map[string]any{"id": BotID, "username": "helpbot", "bot": true},
			"application": map[string]any{"id": AppID, "flags": appFlags},
			"guilds":      []any{},
		})
	case 6:
		_ = g.dispatch("RESUMED", map[string]any{})
	default:
		_ = c.Close()
		return
	}
	s.mu.Lock()
	s.gw = g
	s.mu.Unlock()
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

func (s *Server) conn() (*gwConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw == nil {
		return nil, errNoGateway
	}
	return s.gw, nil
}

func author(user string) map[string]any {
	return map[string]any{"id": user, "username": "user" + user, "global_name": "User " + user}
}

// DM sends a direct message from user to the bot over the gateway and
// returns its ID.
func (s *Server) DM(user, text string) (string, error) {
	g, err := s.conn()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	id, ch := s.id(), DMChannel(user)
	s.channels[ch] = channel{ID: ch, Type: 1}
	s.mu.Unlock()
	err = g.dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": ch, "type": 0, "content": text, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": author(user),
	})
	if err != nil {
		return "", fmt.Errorf("discordfake: dispatch a DM: %w", err)
	}
	return id, nil
}

// Press has user press p's button labelled label and returns the
// interaction's ID; ok is false when p has no such button.
func (s *Server) Press(user string, p Post, label string) (id string, ok bool, err error) {
	custom, ok := p.Button(label)
	if !ok {
		return "", false, nil
	}
	var msg map[string]any
	_ = json.Unmarshal(p.Message, &msg)
	id, err = s.interact(user, p.Channel, 3, map[string]any{"custom_id": custom, "component_type": 2}, msg)
	return id, err == nil, err
}

// Command has user run /top sub in channel with options given as name,
// value pairs (an int value is an integer option), and returns the
// interaction's ID.
func (s *Server) Command(user, channel, top, sub string, opts ...any) (string, error) {
	var os []any
	for i := 0; i+1 < len(opts); i += 2 {
		typ := 3
		if _, ok := opts[i+1].(int); ok {
			typ = 4
		}
		os = append(os, map[string]any{"name": opts[i], "type": typ, "value": opts[i+1]})
	}
	return s.interact(user, channel, 2, map[string]any{"id": "1", "name": top, "type": 1,
		"options": []any{map[string]any{"name": sub, "type": 1, "options": os}}}, nil)
}

// interact dispatches an INTERACTION_CREATE of typ from user in channel.
func (s *Server) interact(user, channel string, typ int, data any, msg map[string]any) (string, error) {
	g, err := s.conn()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	id := s.id()
	s.tokens[tokenPrefix+id] = channel
	s.mu.Unlock()
	ev := map[string]any{"id": id, "application_id": AppID, "type": typ, "token": tokenPrefix + id, "version": 1, "channel_id": channel, "data": data}
	if msg != nil {
		ev["message"] = msg
	}
	if strings.HasPrefix(channel, "7") { // the fake's DM channels
		ev["user"] = author(user)
	} else {
		ev["guild_id"] = Guild
		ev["member"] = map[string]any{"user": author(user), "roles": []string{}}
	}
	if err := g.dispatch("INTERACTION_CREATE", ev); err != nil {
		return "", fmt.Errorf("discordfake: dispatch an interaction: %w", err)
	}
	return id, nil
}
