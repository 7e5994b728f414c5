package slackfake

import "strings"

// User is a person users.info knows (Options.Users).
type User struct {
	Name  string // the real and display name, "Alice Archer"
	Email string
}

// manifestScopes are the bot scopes of the help desk's app manifest
// (adapters/slack/manifest.yaml), granted when Options.Scopes is nil.
var manifestScopes = []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history",
	"im:history", "im:write", "usergroups:read", "users:read", "users:read.email"}

func (s *Server) scopes() []string {
	if s.opts.Scopes == nil {
		return manifestScopes
	}
	return s.opts.Scopes
}

// user is users.info's profile of id.
func (s *Server) user(id string) map[string]any {
	u, ok := s.opts.Users[id]
	handle := strings.ToLower(u.Name)
	if !ok {
		u, handle = User{Name: "Employee " + id, Email: strings.ToLower(id) + "@example.com"}, strings.ToLower(id)
	}
	return map[string]any{"id": id, "name": handle, "real_name": u.Name,
		"profile": map[string]any{"display_name": u.Name, "real_name": u.Name, "email": u.Email}}
}

// notReadable is the error conversations.history answers for channel, ""
// when the bot may read it.
func (s *Server) notReadable(channel string) string {
	if s.opts.Channels == nil {
		return ""
	}
	member, known := s.opts.Channels[channel]
	switch {
	case !known:
		return "channel_not_found"
	case !member:
		return "not_in_channel"
	}
	return ""
}
