package bot

import "github.com/helpdesk-bot/helpdesk/tickets"

// conversationKey identifies the intake conversation of a user in a place:
// the same person can have one report going in a DM and another in a thread.
func conversationKey(p tickets.Place, u tickets.Person) string {
	return p.Platform + "|" + p.ChannelID + "|" + p.ThreadID + "|" + u.UserID
}
