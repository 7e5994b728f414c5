package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// OnCall is who hears of urgent tickets nobody has taken: the SLA warnings
// and breaches of an unclaimed ticket, which otherwise only reach the
// triage thread, and the tickets opened outside business hours.
type OnCall struct {
	// Agents are the Person keys of the agents on call. Empty means every
	// agent named by ID who may take the ticket gets unclaimed alerts, and
	// nobody is paged.
	Agents []string
	// Notify is how unclaimed alerts reach them: NotifyDM, NotifyMention
	// (in the triage thread) or NotifyOff (the triage thread only).
	Notify string
	// Priorities are the priorities this applies to.
	Priorities []tickets.Priority
	// Page sends the on-call agents a ticket of these priorities at once
	// when it opens outside business hours.
	Page bool
}

// How OnCall.Notify reaches agents.
const (
	NotifyDM      = "dm"
	NotifyMention = "mention"
	NotifyOff     = "off"
)

// DefaultOnCall sends a P1's unclaimed alerts to the agents who may take
// it, by direct message, and pages the on-call agents listed.
func DefaultOnCall() OnCall {
	return OnCall{Notify: NotifyDM, Priorities: []tickets.Priority{tickets.P1}, Page: true}
}

// onDuty are the Person keys of the agents who hear of unclaimed ticket t.
func (b *Bot) onDuty(t *tickets.Ticket) []string {
	oc := b.conf().OnCall
	if oc.Notify == NotifyOff || !slices.Contains(oc.Priorities, t.Priority) {
		return nil
	}
	if len(oc.Agents) > 0 {
		return oc.Agents
	}
	var keys []string
	for _, a := range b.conf().Agents {
		act := actor{IsAgent: true, Agent: a}
		if act.seesAll() || a.Tier >= t.Tier {
			keys = append(keys, a.IDs...)
		}
	}
	return keys
}

// alertOnDuty brings an unclaimed ticket's SLA alert to the agents on
// duty: by direct message, or (NotifyMention) by a mention in the triage
// thread for those on the triage channel's platform, whose user IDs it
// returns, and a direct message for the others.
func (b *Bot) alertOnDuty(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, key, text string) (mentions []string, err error) {
	if t.Assignee != "" {
		return nil, nil
	}
	cfg := b.conf()
	for _, agent := range b.onDuty(t) {
		if agent == t.Owner || agent == t.Requester.Key() {
			continue // the owner is told anyway; a requester is not on duty for their own ticket
		}
		if platform, user, _ := strings.Cut(agent, ":"); cfg.OnCall.Notify == NotifyMention && platform == cfg.Triage.Platform {
			mentions = append(mentions, user)
			continue
		}
		if err := b.tellAgent(ctx, tx, t, agent, key+":onduty:"+agent, text+fmt.Sprintf("\nNobody has claimed it: /claim %d", t.ID)); err != nil {
			return nil, err
		}
	}
	return mentions, nil
}

// supportHours is what the confirmation of new ticket t adds outside
// business hours: when someone will pick it up, and whether the on-call
// agents were paged (they are, through the outbox, in tx).
func (b *Bot) supportHours(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) (string, error) {
	cfg := b.conf()
	next, open := cfg.Calendar.Opens(t.CreatedAt)
	if open {
		return "", nil
	}
	line := fmt.Sprintf("The help desk is closed right now; someone will pick this up when it opens, %s.", next.In(cfg.Calendar.Location).Format("Mon 2 Jan 15:04"))
	oc := cfg.OnCall
	if !oc.Page || len(oc.Agents) == 0 || !slices.Contains(oc.Priorities, t.Priority) {
		return line, nil
	}
	text := fmt.Sprintf("PAGE: %s %s opened outside business hours by %s — %s\nClaim it with /claim %d", t.Priority, t.Ref(), t.Requester.Display(), t.Summary, t.ID)
	for _, agent := range oc.Agents {
		if err := b.tellAgent(ctx, tx, t, agent, fmt.Sprintf("ticket:%d:page:%s", t.ID, agent), text); err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(line, ".") + ", and as it stops work, the on-call agent has been paged now.", nil
}
