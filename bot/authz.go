package bot

import (
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The authorization matrix is written for people in
// docs/authorization.md; TestAuthorizationMatrix reads that table and
// checks every cell against can, so the two cannot drift apart.

// actor is the sender of a message with what the desk's config makes them.
type actor struct {
	Person  tickets.Person
	Agent   Agent
	IsAgent bool
}

// actorOf looks up p's role.
func (c *Config) actorOf(p tickets.Person) actor {
	a, ok := c.agent(p)
	return actor{Person: p, Agent: a, IsAgent: ok}
}

// role names the actor's row of the matrix.
func (a actor) role() string {
	switch {
	case !a.IsAgent:
		return "requester"
	case a.Agent.Role == RoleManager || a.Agent.Role == RoleAdmin:
		return string(a.Agent.Role)
	}
	return []string{"", "tier 1", "tier 2", "tier 3"}[max(1, min(a.Agent.Tier, 3))]
}

// seesAll is true for managers and admins.
func (a actor) seesAll() bool {
	return a.IsAgent && (a.Agent.Role == RoleManager || a.Agent.Role == RoleAdmin)
}

// reaches reports whether an agent may see and work t: tickets at their
// tier or below, tickets they own or are assigned, anything for managers.
func (a actor) reaches(t *tickets.Ticket) bool {
	if !a.IsAgent {
		return false
	}
	key := a.Person.Key()
	return a.seesAll() || t.Tier <= a.Agent.Tier || t.Owner == key || t.Assignee == key
}

// ticketCommands take a ticket; the rest (help, new, mine, queue, article,
// kb publishing, reload) are checked by canRun alone.
var ticketCommands = map[string]bool{
	"status": true, chat.ActionReopen: true, "show": true, chat.ActionClaim: true, chat.ActionReply: true,
	chat.ActionNote: true, chat.ActionPending: true, chat.ActionResolve: true, "escalate": true,
	"deescalate": true, "merge": true, "major": true, "update": true, "kbdraft": true, "summary": true,
}

// canRun reports whether a may use command cmd at all.
func (a actor) canRun(cmd string) bool {
	switch cmd {
	case "help", "new", "mine", "cancel", "start", "article", "kb", "status", chat.ActionReopen:
		return true
	case "queue", "show", "summary", chat.ActionClaim, chat.ActionReply, chat.ActionNote, chat.ActionPending, chat.ActionResolve,
		"escalate", "deescalate", "merge", "kbdraft", "kbedit":
		return a.IsAgent
	case "major", "update":
		return a.seesAll() || a.IsAgent && a.Agent.Tier >= 2
	case "reload", "kbpublish", "outbox":
		return a.IsAgent && a.Agent.Role == RoleAdmin
	}
	return false
}

// can reports whether a may run cmd on ticket t (nil for commands that
// take none).
func (a actor) can(cmd string, t *tickets.Ticket) bool {
	if !a.canRun(cmd) {
		return false
	}
	if t == nil || !ticketCommands[cmd] {
		return true
	}
	switch cmd {
	case "status", chat.ActionReopen:
		return t.Requester.Key() == a.Person.Key() || a.reaches(t)
	case chat.ActionClaim, "deescalate":
		// Taking or handing back the work happens at the ticket's tier:
		// the owner of a ticket now at tier 2 does not claim it back; a
		// tier-2 agent de-escalates it to them.
		return a.seesAll() || a.IsAgent && t.Tier <= a.Agent.Tier
	}
	return a.reaches(t)
}

// refuse is the answer when a may not run cmd on t. Requesters are told a
// ticket that is not theirs does not exist, so they cannot probe numbers.
func (a actor) refuse(cmd string, t *tickets.Ticket) error {
	switch {
	case !a.IsAgent && t != nil && t.Requester.Key() != a.Person.Key():
		return notYours(t.ID)
	case !a.IsAgent:
		return tickets.Errorf(tickets.EFORBIDDEN, "Only help desk agents can use /%s. If you need help, just describe your problem, or type /help.", cmd)
	case !a.canRun(cmd):
		switch cmd {
		case "major", "update":
			return tickets.Errorf(tickets.EFORBIDDEN, "Only tier 2 and 3 agents and managers can use /%s.", cmd)
		default:
			return tickets.Errorf(tickets.EFORBIDDEN, "Only admins can use /%s.", cmd)
		}
	}
	return tickets.Errorf(tickets.EFORBIDDEN, "%s is at tier %d, above yours (%d); ask a tier %d agent or a manager.", t.Ref(), t.Tier, a.Agent.Tier, t.Tier)
}

// IsAgent reports whether p is a help desk agent under the configuration in
// force, so an adapter can refuse an agent-only form before opening it. The
// core still authorizes every action itself.
func (b *Bot) IsAgent(p tickets.Person) bool {
	_, ok := b.conf().agent(p)
	return ok
}
