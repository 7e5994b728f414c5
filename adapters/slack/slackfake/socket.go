package slackfake

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

// pingEvery is the fake's ping: slack-go reconnects after 30 s without one.
const pingEvery = 5 * time.Second

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
	s.once.Do(func() { close(s.ready) })
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(pingEvery)
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
	}()
	go func() {
		defer close(stop)
		for {
			var ack struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				s.connMu.Lock()
				if s.conn == c {
					s.conn = nil
				}
				s.connMu.Unlock()
				return
			}
			s.stats.ack()
			if s.opts.Redeliver {
				s.acked(ack.EnvelopeID)
			}
			if s.opts.OnAck != nil {
				s.opts.OnAck(ack.EnvelopeID, s.opts.Now())
			}
		}
	}()
}

func (s *Server) write(c *websocket.Conn, v any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return c.WriteJSON(v)
}

// send writes an envelope of typ to the bot and returns its ID.
func (s *Server) send(typ string, payload any) (string, error) {
	s.mu.Lock()
	s.envelope++
	id := "E" + strconv.FormatInt(s.envelope, 10)
	s.mu.Unlock()
	msg := map[string]any{"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api"}
	s.connMu.Lock()
	c := s.conn
	if s.opts.Redeliver {
		// Kept before it is written, so an ack cannot come first.
		s.keep(id, msg, c != nil)
	}
	s.connMu.Unlock()
	if c == nil {
		if s.opts.Redeliver {
			return id, nil // delivered on the bot's next connection
		}
		return "", errNoConnection
	}
	if err := s.write(c, msg); err != nil {
		if s.opts.Redeliver {
			return id, nil
		}
		return "", fmt.Errorf("slackfake: send %s: %w", typ, err)
	}
	return id, nil
}

// DM sends user's message to the bot in their DM (channel "D"+user) and
// returns the envelope ID.
func (s *Server) DM(user, text string) (string, error) {
	ts := s.newTS()
	ev := map[string]any{"type": "message", "channel": "D" + user, "channel_type": "im", "user": user,
		"text": text, "ts": ts, "event_ts": ts}
	return s.send("events_api", map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1",
		"type": "event_callback", "event_id": "Ev" + ts, "event_time": time.Now().Unix(), "event": ev})
}

// Press sends user's press of the button of p named action; false when p
// has no such button.
func (s *Server) Press(user string, p Post, action string) (string, bool, error) {
	actionID, value, ok := p.Button(action)
	if !ok {
		return "", false, nil
	}
	trigger := "trig" + s.newTS()
	msg := map[string]any{"type": "message", "ts": p.TS, "thread_ts": p.ThreadTS, "text": p.Text}
	if len(p.Blocks) > 0 {
		msg["blocks"] = p.Blocks
	}
	id, err := s.send("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": user},
		"channel":   map[string]any{"id": p.Channel},
		"container": map[string]any{"type": "message", "channel_id": p.Channel, "message_ts": p.TS, "thread_ts": p.ThreadTS},
		"message":   msg,
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "value": value, "block_id": "actions",
			"action_ts": strconv.FormatInt(time.Now().UnixNano(), 10)}},
	})
	return id, true, err
}

// Command sends user's slash command (command "/desk", text "resolve 12
// fixed") typed in channel; answers in place go to a response_url named
// after the envelope.
func (s *Server) Command(user, channel, command, text string) (string, error) {
	trigger := "trig" + s.newTS()
	return s.send("slash_commands", map[string]any{"command": command, "text": text, "user_id": user,
		"channel_id": channel, "team_id": "T1", "response_url": s.ResponseURL(trigger), "trigger_id": trigger})
}
