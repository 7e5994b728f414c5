package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// escalateCommand moves a ticket to a higher tier or a named team. It is
// refused until the handoff note is complete; the refusal lists exactly
// what is missing. r.form, when not nil, is the submitted escalation form.
func (b *Bot) escalateCommand(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a, fields, usage := r.m, r.a, r.form, r.cmd.usage()
	id, rest, err := ticketArg(r.args, usage)
	if err != nil {
		return nil, err
	}
	target, notes, _ := strings.Cut(rest, " ")
	if fields != nil {
		target = fields["to"]
	}
	if strings.TrimSpace(target) == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Escalate to which tier or team? Usage: %s", usage)
	}
	team, ok := b.conf().team(target)
	if !ok {
		return nil, tickets.Errorf(tickets.EINVALID, "%q is not a tier or team. Use %s.", target, b.teamNames())
	}
	actorKey := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, r.cmd, id)
		if err != nil {
			return nil, err
		}
		if !t.Status.Active() {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s; reopen it before escalating.", t.Ref(), t.Status)
		}
		if team.Tier <= t.Tier {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is already at tier %d; escalate to a higher tier, or use /deescalate %d to send it back.", t.Ref(), t.Tier, t.ID)
		}
		if !b.conf().staffed(team) {
			// Nobody could claim it there, and tier 1 no longer reaches
			// it to send it back: it would wait for no one.
			return nil, tickets.Errorf(tickets.ECONFLICT, "Nobody on this desk works at tier %d: no agent in the config has tier %d or higher, and there is no manager or admin, so %s would wait with nobody to take it. Add one under agents in the config (tier: %d), or keep working it here.", team.Tier, team.Tier, t.Ref(), team.Tier)
		}
		evs, err := tx.Events(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		h := b.prefillHandoff(t, evs)
		if fields != nil {
			h = handoffFromFields(fields)
		} else {
			h = parseHandoffArgs(notes, h)
		}
		if missing := h.Missing(); len(missing) > 0 {
			return nil, tickets.Errorf(tickets.EINVALID, "%s cannot be escalated yet: the handoff note is missing %s.\nWhat I already know:\n%s\nAdd what is missing; what you write is merged with what I know. For example: /escalate %d %s steps: rebooted -> same error | system: versions: Windows 11 23H2, Outlook 2405",
				t.Ref(), joinAnd(missing), indent(h.Text()), t.ID, strings.TrimSpace(target))
		}
		now := b.now()
		fromTier := t.Tier
		if t.Owner == "" {
			// Tier 1 stays the owner: whoever had it, or whoever sends it up.
			t.Owner = t.Assignee
			if t.Owner == "" {
				t.Owner = actorKey
			}
		}
		assignee, err := b.pickAssignee(ctx, tx, team)
		if err != nil {
			return nil, err
		}
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventEscalated,
			Before: fmt.Sprint(fromTier), After: fmt.Sprint(team.Tier), Text: h.Text()}); err != nil {
			return nil, err
		}
		if assignee != t.Assignee {
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventAssigned, Before: t.Assignee, After: assignee}); err != nil {
				return nil, err
			}
		}
		if err := b.setStatus(ctx, tx, t, tickets.StatusEscalated, actorKey); err != nil {
			return nil, err
		}
		if p, err := tickets.ParsePriority(strings.TrimSpace(h.Priority)); err == nil && p != t.Priority {
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventField, Field: "priority", Before: t.Priority.String(), After: p.String()}); err != nil {
				return nil, err
			}
			// The new priority's targets count from when the current ones
			// did (the opening, or the last reopen), as if it had had that
			// priority all along, and the time spent pending still does not
			// count, as the SLA clock's pause had it.
			t.Priority = p
			all, err := tx.Events(ctx, t.ID)
			if err != nil {
				return nil, err
			}
			cal, from := b.conf().Calendar, slaStart(t, all)
			paused := pausedSince(cal, all, from)
			t.ResponseDue, t.ResolveDue = b.conf().SLA.Due(cal, p, from)
			t.ResponseDue, t.ResolveDue = cal.Add(t.ResponseDue, paused), cal.Add(t.ResolveDue, paused)
		}
		t.Tier, t.Team, t.Assignee, t.UpdatedAt = team.Tier, team.Name, assignee, now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}

		who := "our tier " + fmt.Sprint(team.Tier) + " team"
		if assignee != "" {
			who = fmt.Sprintf("%s (tier %d)", b.agentName(assignee), team.Tier)
		}
		ownerName := b.agentName(t.Owner)
		if _, err := b.tellRequester(ctx, tx, t, "escalated", fmt.Sprintf("Your ticket %s (%s) is now with %s, who can go deeper. %s stays your contact: just answer here as before, nothing you already told us needs repeating.", t.Ref(), t.Summary, who, ownerName)); err != nil {
			return nil, err
		}
		to := team.Place
		if to.ChannelID == "" {
			to = b.conf().Triage
		}
		head := fmt.Sprintf("Escalated to %s (tier %d): %s %s %s — %s\nOwner: %s. Assigned: %s.", team.Name, team.Tier, t.Priority, t.Kind, t.Ref(), t.Summary, ownerName, orNone(b.agentName(assignee)))
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{
			Key: fmt.Sprintf("ticket:%d:escalated:%d:team", t.ID, len(evs)), To: to, TicketID: t.ID,
			Text: head + flagWarning(t) + "\n\nHandoff note:\n" + h.Text(), Buttons: cardButtons(t),
		}); err != nil {
			return nil, err
		}
		news := fmt.Sprintf("%s escalated %s to %s (tier %d); %s stays the owner.", a.Agent.Name, t.Ref(), team.Name, team.Tier, ownerName)
		if err := b.updateCard(ctx, tx, t, "escalated", news, true); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, t, a, "escalated", news); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s escalated to %s (tier %d), assigned to %s. You stay the owner and hear of every change.", t.Ref(), team.Name, team.Tier, orNone(b.agentName(assignee)))}}, nil
	})
}

// deescalate sends an escalated ticket back to its tier-1 owner with a note.
func (b *Bot) deescalate(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	id, note, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	if note == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Say what the owner should know. Usage: %s", r.cmd.usage())
	}
	actorKey := m.User.Key()
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.Tier <= 1 || t.Owner == "" {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is not escalated.", t.Ref())
		}
		if !t.Status.Active() {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s; reopen it first with /reopen %d.", t.Ref(), t.Status, t.ID)
		}
		if !a.can(r.cmd, t) {
			return nil, a.refuse(r.cmd, t)
		}
		now := b.now()
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventDeescalated,
			Before: fmt.Sprint(t.Tier), After: "1", Text: note}); err != nil {
			return nil, err
		}
		if t.Assignee != t.Owner {
			if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actorKey, Kind: tickets.EventAssigned, Before: t.Assignee, After: t.Owner}); err != nil {
				return nil, err
			}
		}
		if err := b.setStatus(ctx, tx, t, tickets.StatusOpen, actorKey); err != nil {
			return nil, err
		}
		t.Tier, t.Team, t.Assignee, t.UpdatedAt = 1, "", t.Owner, now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		news := fmt.Sprintf("%s sent %s back to %s:\n%s", a.Agent.Name, t.Ref(), b.agentName(t.Owner), quoteLines(note))
		if err := b.updateCard(ctx, tx, t, "deescalated", news, true); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, t, a, "deescalated", news); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is back with %s at tier 1.", t.Ref(), b.agentName(t.Owner))}}, nil
	})
}

// pickAssignee chooses who at the team's tier gets an escalated ticket:
// the member with the fewest active tickets, config order breaking ties;
// "" when the team has nobody, leaving it for someone there to claim.
func (b *Bot) pickAssignee(ctx context.Context, tx tickets.Tx, team Team) (string, error) {
	var candidates []string
	if len(team.Agents) > 0 {
		candidates = team.Agents
	} else {
		for _, ag := range b.conf().Agents {
			if ag.Tier == team.Tier && ag.Role == RoleAgent && len(ag.IDs) > 0 {
				candidates = append(candidates, ag.IDs[0])
			}
		}
	}
	best, bestLoad := "", 0
	for _, key := range candidates {
		load, err := tx.CountTickets(ctx, tickets.TicketFilter{Assignee: key, Statuses: activeStatuses})
		if err != nil {
			return "", err
		}
		if best == "" || load < bestLoad {
			best, bestLoad = key, load
		}
	}
	return best, nil
}

// staffed reports whether someone may take a ticket escalated to team:
// one of its listed agents, an agent (by ID or group) at its tier or
// above, or a manager or admin, who reach every tier.
func (c *Config) staffed(team Team) bool {
	if len(team.Agents) > 0 {
		return true
	}
	for _, ag := range c.Agents {
		if ag.Role == RoleManager || ag.Role == RoleAdmin || ag.Tier >= team.Tier {
			return true
		}
	}
	return false
}

// teamNames lists the tiers and configured named teams for an error
// message: "2 or 3", "2, 3 or a team: network".
func (b *Bot) teamNames() string {
	var names []string
	for _, t := range b.conf().Teams {
		if !strings.HasPrefix(t.Name, "tier") {
			names = append(names, t.Name)
		}
	}
	if len(names) == 0 {
		return "2 or 3"
	}
	return "2, 3 or a team: " + strings.Join(names, ", ")
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], "; ") + "; and " + items[len(items)-1]
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

func orNone(s string) string {
	if s == "" {
		return "nobody yet (someone at that tier can claim it)"
	}
	return s
}
