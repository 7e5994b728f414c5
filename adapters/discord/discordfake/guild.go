package discordfake

// The guild as the bot finds it: its channels with their permission
// overwrites, the @everyone role's permissions and the application's
// flags, which the bot's start-up checks (helpdesk doctor) read.

import "fmt"

// Application flags and the @everyone permissions the fake reports by
// default: the Message Content intent (limited) and every permission, so
// the bot's start-up checks pass.
const (
	messageContentLimited = 1 << 18
	allPermissions        = int64(1)<<50 - 1
)

// Overwrite is a channel's permission overwrite, as Discord sends it.
type Overwrite struct {
	ID string `json:"id"`
	// Type is 0 for a role (the guild's ID is @everyone's), 1 for a member.
	Type  int   `json:"type"`
	Allow int64 `json:"allow,string"`
	Deny  int64 `json:"deny,string"`
}

type channel struct {
	ID         string      `json:"id"`
	Type       int         `json:"type"`
	GuildID    string      `json:"guild_id,omitempty"`
	ParentID   string      `json:"parent_id,omitempty"`
	OwnerID    string      `json:"owner_id,omitempty"`
	Overwrites []Overwrite `json:"permission_overwrites,omitempty"`
}

// appFlags are the application's flags the fake reports.
func (s *Server) appFlags() int {
	if s.opts.NoMessageContent {
		return 0
	}
	return messageContentLimited
}

// everyone is what @everyone may do in the guild.
func (s *Server) everyone() int64 {
	if s.opts.Everyone == 0 {
		return allPermissions
	}
	return s.opts.Everyone
}

// guild is GET /guilds/{Guild}: its owner (not the bot) and its one role.
func (s *Server) guild() map[string]any {
	return map[string]any{"id": Guild, "owner_id": "1", "roles": []map[string]any{
		{"id": Guild, "name": "@everyone", "permissions": fmt.Sprint(s.everyone())}}}
}
