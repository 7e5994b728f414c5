package bot

import (
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"slices"
)

// The authorization matrix is written for people in
// docs/authorization.md; TestAuthorizationMatrix reads that table and
// checks every cell against can, so the two cannot drift apart. Who may
// run a command at all is its chat.Command.Who; which tickets it may touch
// is its ticketRule; both are declared in the command table.

// actor is the sender of a message with what the desk's config makes them.
type actor struct {
	Person  tickets.Person
	Agent   Agent
	IsAgent bool
	// Also are the keys of the person's other accounts (see otherKeys),
	// read for the commands about their own tickets.
	Also []string
}

// isRequester reports whether a reported t, from any of their accounts.
func (a actor) isRequester(t *tickets.Ticket) bool {
	k := t.Requester.Key()
	return k == a.Person.Key() || slices.Contains(a.Also, k)
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

// ticketRule is which tickets a command may touch, for whom.
type ticketRule int

const (
	noTicket  ticketRule = iota // the command takes no ticket
	ownOrTier                   // requesters their own; agents as tier
	tier                        // tickets the agent reaches (see reaches)
	atTier                      // the agent's tier and below, ownership aside
)

// allowed reports whether a may use c at all.
func (a actor) allowed(c *command) bool {
	switch c.Who {
	case chat.Everyone:
		return true
	case chat.Agents:
		return a.IsAgent
	case chat.SeniorAgents:
		return a.seesAll() || a.IsAgent && a.Agent.Tier >= 2
	case chat.Admins:
		return a.IsAgent && a.Agent.Role == RoleAdmin
	}
	return false
}

// can reports whether a may run c on ticket t (nil for commands that take
// none).
func (a actor) can(c *command, t *tickets.Ticket) bool {
	if !a.allowed(c) {
		return false
	}
	switch {
	case t == nil || c.tickets == noTicket:
		return true
	case c.tickets == ownOrTier:
		return a.isRequester(t) || a.reaches(t)
	case c.tickets == atTier:
		// Taking or handing back the work happens at the ticket's tier:
		// the owner of a ticket now at tier 2 does not claim it back; a
		// tier-2 agent de-escalates it to them.
		return a.seesAll() || a.IsAgent && t.Tier <= a.Agent.Tier
	}
	return a.reaches(t)
}

// refuse is the answer when a may not run c on t. Requesters are told a
// ticket that is not theirs does not exist, so they cannot probe numbers.
func (a actor) refuse(c *command, t *tickets.Ticket) error {
	switch {
	case !a.IsAgent && t != nil && !a.isRequester(t):
		return notYours(t.ID)
	case !a.IsAgent:
		return tickets.Errorf(tickets.EFORBIDDEN, "Only help desk agents can use /%s. If you need help, just describe your problem, or type /help.", c.Name)
	case !a.allowed(c) && c.Who == chat.SeniorAgents:
		return tickets.Errorf(tickets.EFORBIDDEN, "Only tier 2 and 3 agents and managers can use /%s.", c.Name)
	case !a.allowed(c):
		return tickets.Errorf(tickets.EFORBIDDEN, "Only admins can use /%s.", c.Name)
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
