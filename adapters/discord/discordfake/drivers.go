package discordfake

import (
	"encoding/json"
	"strings"
	"time"
)

// The drivers: what people do in Discord, dispatched to the bot over the
// gateway as Discord dispatches it.

// tokenPrefix starts the fake's interaction tokens: "tok-" and the
// interaction's ID.
const tokenPrefix = "tok-"

func author(user string) map[string]any {
	return map[string]any{"id": user, "username": "user" + user, "global_name": "User " + user}
}

// DM sends a direct message from user to the bot and returns its ID.
func (s *Server) DM(user, text string) (string, error) {
	s.mu.Lock()
	id, ch := s.id(), DMChannel(user)
	s.channels[ch] = channel{ID: ch, Type: 1}
	s.mu.Unlock()
	return id, s.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": ch, "type": 0, "content": text, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": author(user),
	})
}

// Say sends user's message in a guild channel, user holding roles, and
// returns its ID; mentionBot has it mention the bot.
func (s *Server) Say(channel, user, text string, roles []string, mentionBot bool) (string, error) {
	mentions := []any{}
	if mentionBot {
		mentions = append(mentions, map[string]any{"id": BotID, "username": "helpbot", "bot": true})
	}
	id := s.NewID()
	return id, s.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": channel, "guild_id": Guild, "type": 0, "content": text,
		"timestamp": time.Now().UTC().Format(time.RFC3339), "author": author(user), "mentions": mentions,
		"member": map[string]any{"roles": orNone(roles)},
	})
}

// Interaction is what a person does that Discord sends as an
// INTERACTION_CREATE: a slash command (type 2), a component (3) or a
// modal submitted (5).
type Interaction struct {
	// ID is the interaction's; empty for a new one. Its token is "tok-"
	// and the ID.
	ID   string
	Type int
	// User acts in Channel: in a guild channel as a member holding Roles,
	// in a DM channel (DMChannel) as a plain user.
	User, Channel string
	Roles         []string
	// Data is the interaction's data; Message, for a component, the
	// message it is on, as it stands.
	Data    any
	Message map[string]any
}

// Interact dispatches in and returns its ID.
func (s *Server) Interact(in Interaction) (string, error) {
	s.mu.Lock()
	id := in.ID
	if id == "" {
		id = s.id()
	}
	s.tokens[tokenPrefix+id] = in.Channel
	s.mu.Unlock()
	ev := map[string]any{"id": id, "application_id": AppID, "type": in.Type, "token": tokenPrefix + id, "version": 1,
		"channel_id": in.Channel, "data": in.Data}
	if in.Message != nil {
		ev["message"] = in.Message
	}
	if strings.HasPrefix(in.Channel, "7") { // the fake's DM channels
		ev["user"] = author(in.User)
	} else {
		ev["guild_id"] = Guild
		ev["member"] = map[string]any{"user": author(in.User), "roles": orNone(in.Roles)}
	}
	return id, s.Dispatch("INTERACTION_CREATE", ev)
}

// orNone is roles, or none rather than null.
func orNone(roles []string) []string {
	if roles == nil {
		return []string{}
	}
	return roles
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
	id, err = s.Interact(Interaction{Type: 3, User: user, Channel: p.Channel,
		Data: map[string]any{"custom_id": custom, "component_type": 2}, Message: msg})
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
	return s.Interact(Interaction{Type: 2, User: user, Channel: channel, Data: map[string]any{"id": "1", "name": top, "type": 1,
		"options": []any{map[string]any{"name": sub, "type": 1, "options": os}}}})
}
