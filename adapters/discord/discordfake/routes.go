package discordfake

import (
	"encoding/json"
	"strings"
	"time"
)

// route is Discord's behaviour for the calls the help desk makes; it
// returns the answer and, for a message or callback, the Post it makes.
func (s *Server) route(method, path string, body []byte) (int, any, *Post) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == "POST" && len(p) == 3 && p[0] == "channels" && p[2] == "messages":
		if _, ok := s.channels[p[1]]; !ok {
			return 404, unknown("Unknown Channel", 10003), nil
		}
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		nonce, _ := in["nonce"].(string)
		if nonce != "" && in["enforce_nonce"] == true {
			if m, ok := s.byNonce[p[1]+"|"+nonce]; ok {
				return 200, m, nil // Discord's de-duplication: no new message
			}
		}
		out := s.message(in, "", p[1])
		if nonce != "" {
			s.byNonce[p[1]+"|"+nonce] = out
		}
		return 200, out, newPost("POST", p[1], "", 0, out)
	case method == "PATCH" && len(p) == 4 && p[0] == "channels" && p[2] == "messages":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		out := s.message(in, p[3], p[1])
		return 200, out, newPost("PATCH", p[1], "", 0, out)
	case method == "POST" && len(p) == 5 && p[0] == "channels" && p[4] == "threads":
		if _, ok := s.channels[p[3]]; ok {
			return 400, unknown("A thread has already been created for this message", 160004), nil
		}
		ch := channel{ID: p[3], Type: 11, GuildID: Guild, ParentID: p[1], OwnerID: BotID}
		s.channels[ch.ID] = ch
		return 201, ch, nil
	case method == "GET" && len(p) == 2 && p[0] == "channels":
		if ch, ok := s.channels[p[1]]; ok {
			return 200, ch, nil
		}
		return 404, unknown("Unknown Channel", 10003), nil
	case method == "POST" && path == "/users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &in)
		ch := channel{ID: DMChannel(in.RecipientID), Type: 1}
		s.channels[ch.ID] = ch
		return 200, ch, nil
	case method == "POST" && len(p) == 4 && p[0] == "interactions" && p[3] == "callback":
		var in struct {
			Type int            `json:"type"`
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(body, &in)
		var out json.RawMessage
		if in.Data != nil {
			out = s.message(in.Data, "", s.tokens[p[2]])
		}
		return 204, nil, newPost("POST", s.tokens[p[2]], p[1], in.Type, out)
	case method == "POST" && len(p) == 3 && p[0] == "webhooks":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		out := s.message(in, "", s.tokens[p[2]])
		return 200, out, newPost("POST", s.tokens[p[2]], interactionOf(p[2]), 0, out)
	case method == "PATCH" && len(p) == 5 && p[0] == "webhooks":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		out := s.message(in, p[4], s.tokens[p[2]])
		return 200, out, newPost("PATCH", s.tokens[p[2]], interactionOf(p[2]), 0, out)
	case method == "DELETE" && len(p) == 5 && p[0] == "webhooks":
		return 204, nil, nil
	case method == "PUT" && p[0] == "applications":
		return 200, json.RawMessage(body), nil
	case method == "GET" && path == "/users/@me":
		return 200, map[string]any{"id": BotID, "username": "helpbot", "bot": true}, nil
	case method == "GET" && path == "/oauth2/applications/@me":
		return 200, map[string]any{"id": AppID, "name": "Help Desk", "flags": s.appFlags()}, nil
	case method == "GET" && len(p) == 2 && p[0] == "guilds" && p[1] == Guild:
		return 200, s.guild(), nil
	case method == "GET" && len(p) == 4 && p[0] == "guilds" && p[1] == Guild && p[2] == "members":
		return 200, map[string]any{"user": map[string]any{"id": p[3], "username": "user" + p[3]}, "roles": []string{}}, nil
	}
	return 404, unknown("Unknown route "+method+" "+path, 0), nil
}

// message is the message Discord stores for in: given an ID (new when
// id is empty), the channel and the bot as author.
func (s *Server) message(in map[string]any, id, channel string) json.RawMessage {
	if in == nil {
		in = map[string]any{}
	}
	if id == "" || id == "@original" {
		id = s.id()
	}
	in["id"], in["channel_id"] = id, channel
	in["author"] = map[string]any{"id": BotID, "username": "helpbot", "bot": true}
	in["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	out, _ := json.Marshal(in)
	return out
}

func unknown(msg string, code int) map[string]any {
	return map[string]any{"message": msg, "code": code}
}

// interactionOf is the interaction ID in one of the fake's tokens.
func interactionOf(token string) string { return strings.TrimPrefix(token, tokenPrefix) }
