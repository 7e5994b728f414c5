package slackfake

import (
	"fmt"
	"strconv"
	"time"
)

// nextEnvelope is a fresh envelope ID.
func (s *Server) nextEnvelope() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.envelope++
	return "E" + strconv.FormatInt(s.envelope, 10)
}

// Send writes an envelope of typ (events_api, interactive,
// slash_commands) carrying payload to the bot, as Slack would, and
// returns its ID. DM, Press and Command build the usual payloads.
func (s *Server) Send(typ string, payload any) (string, error) {
	return s.sendAs(s.nextEnvelope(), typ, payload)
}

// sendAs writes envelope id.
func (s *Server) sendAs(id, typ string, payload any) (string, error) {
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
	return s.Send("events_api", map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1",
		"type": "event_callback", "event_id": "Ev" + ts, "event_time": time.Now().Unix(), "event": ev})
}

// Press sends user's press of the button of p named action; false when p
// has no such button. As in Slack's, the message is in the payload as the
// person's client shows it: its text and blocks.
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
	id, err := s.Send("interactive", map[string]any{
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
// fixed") typed in channel and returns the envelope ID; answers in place
// go to the response_url named after it: Posts of method response_url
// whose Channel is the envelope ID.
func (s *Server) Command(user, channel, command, text string) (string, error) {
	id := s.nextEnvelope()
	return s.sendAs(id, "slash_commands", map[string]any{"command": command, "text": text, "user_id": user,
		"channel_id": channel, "team_id": "T1", "response_url": s.ResponseURL(id), "trigger_id": "trig" + s.newTS()})
}
