package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// serveWS is the Socket Mode websocket: hello, pings, and a reader of the
// acks. A new connection replaces the old.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	// The envelopes to send again are taken with the connection's switch,
	// under the lock send holds to keep an envelope, so each one goes
	// out either here or by send, never both, never neither.
	s.connMu.Lock()
	s.conn = c
	s.conns++
	var again []map[string]any
	if s.opts.Redeliver {
		again = s.redeliverable()
	}
	s.connMu.Unlock()
	_ = s.write(c, map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]string{"app_id": "A1"}})
	for _, msg := range again {
		if s.write(c, msg) != nil {
			break // the next connection gets them
		}
	}
	s.connChanged()
	stop := make(chan struct{})
	go s.ping(c, stop)
	go func() {
		defer close(stop)
		for {
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				s.connMu.Lock()
				if s.conn == c {
					s.conn = nil
				}
				s.connMu.Unlock()
				s.connChanged()
				return
			}
			at := s.opts.Now()
			s.stats.ack()
			if s.opts.Redeliver {
				s.acked(ack.EnvelopeID)
			}
			s.ackRead(ack.EnvelopeID, ack.Payload, at)
			if s.opts.OnAck != nil {
				s.opts.OnAck(ack.EnvelopeID, at)
			}
		}
	}()
}

// ping pings c every Options.Ping until stop, as Slack does; slack-go
// takes a connection without them for dead.
func (s *Server) ping(c *websocket.Conn, stop <-chan struct{}) {
	t := time.NewTicker(s.opts.Ping)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-s.done:
			return
		case <-t.C:
			s.wmu.Lock()
			err := c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
			s.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (s *Server) write(c *websocket.Conn, v any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return c.WriteJSON(v)
}

// connChanged wakes the waiters on a connection made or lost.
func (s *Server) connChanged() {
	s.mu.Lock()
	s.changedLocked()
	s.mu.Unlock()
}

// connected reports whether the bot is connected over Socket Mode now.
func (s *Server) connected() bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.conn != nil
}

// WaitConnected waits until the bot is connected over Socket Mode.
func (s *Server) WaitConnected(ctx context.Context) error {
	if err := s.Wait(ctx, s.connected); err != nil {
		return fmt.Errorf("slackfake: the bot is not connected over Socket Mode: %w", err)
	}
	return nil
}

// Connections counts the Socket Mode connections the bot made so far: one
// more than before means it reconnected.
func (s *Server) Connections() int {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.conns
}

// Drop closes the Socket Mode connection, as a network failure would;
// slack-go connects again.
func (s *Server) Drop() {
	s.connMu.Lock()
	c := s.conn
	s.conn = nil
	s.connMu.Unlock()
	if c != nil {
		_ = c.Close()
	}
}
