package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// summary gives an agent a short account of a long ticket before they take
// it on or escalate it: the problem, what was tried, the latest work. With
// a Drafter configured the model writes it, marked as a draft to check
// against the history (/show N); otherwise, or when the model fails, it is
// put together from the ticket itself. Nothing is stored.
func (b *Bot) summary(ctx context.Context, r request) ([]chat.Reply, error) {
	a := r.a
	id, _, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.can(r.cmd, t) {
		return nil, a.refuse(r.cmd, t)
	}
	if !seesInternal(a, t) {
		// The summary draws on notes and handoffs; on their own ticket an
		// agent sees what its reporter sees.
		return nil, tickets.Errorf(tickets.EFORBIDDEN, "%s is your own report; /status %d shows it as its reporter sees it.", t.Ref(), t.ID)
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.llm.drafter != nil {
		// A read-only command: no transaction is open while the model works.
		mctx, cancel := b.llm.withBudget(ctx)
		text, err := b.llm.drafter.SummarizeTicket(mctx, ticketFacts(t, evs, b.kb))
		cancel()
		if err == nil {
			var ok bool
			if text, ok = modelText(text); !ok {
				err = errors.New("model summary is too long")
			}
		}
		if err == nil && strings.TrimSpace(text) != "" {
			return []chat.Reply{{Text: fmt.Sprintf("Summary of %s (a model's draft: check it against /show %d):\n%s", t.Ref(), t.ID, strings.TrimSpace(text)), Ephemeral: true}}, nil
		}
		b.log.DebugContext(ctx, "summary: offline summary", "err", err)
	}
	return []chat.Reply{{Text: b.offlineSummary(t, evs), Ephemeral: true}}, nil
}

// offlineSummary is the ticket in a few lines: the problem, what was
// tried, who has it, and the last few things that happened.
func (b *Bot) offlineSummary(t *tickets.Ticket, evs []*tickets.Event) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Summary of %s (%s, %s, %s): %s", t.Ref(), t.Priority, t.Status, t.Category.Label(), t.Summary)
	if e := t.Fields[tickets.FieldError]; e != "" {
		fmt.Fprintf(&sb, "\n  Error: %s", e)
	}
	if d := t.Fields[tickets.FieldDevice]; d != "" {
		fmt.Fprintf(&sb, "\n  Device: %s", d)
	}
	if a := t.Fields[tickets.FieldApp]; a != "" {
		fmt.Fprintf(&sb, "\n  App: %s", a)
	}
	if st := t.Fields[tickets.FieldSteps]; st != "" {
		fmt.Fprintf(&sb, "\n  Tried before the ticket: %s", st)
	}
	fmt.Fprintf(&sb, "\n  With: %s at tier %d", orTeam(b.agentName(t.Assignee)), t.Tier)
	if t.Owner != "" {
		fmt.Fprintf(&sb, " (owner %s)", b.agentName(t.Owner))
	}
	var recent []string
	for i := len(evs) - 1; i >= 0 && len(recent) < 4; i-- {
		e := evs[i]
		switch e.Kind {
		case tickets.EventReply, tickets.EventNote, tickets.EventComment, tickets.EventEscalated, tickets.EventUpdate:
			text := e.Text
			if len(text) > 160 {
				text = text[:157] + "…"
			}
			recent = append(recent, fmt.Sprintf("%s %s: %s", b.when(e.At, "Mon 15:04"), b.actorName(e.Actor, t), strings.ReplaceAll(text, "\n", " ")))
		}
	}
	if len(recent) > 0 {
		sb.WriteString("\n  Latest:")
		for i := len(recent) - 1; i >= 0; i-- {
			sb.WriteString("\n    " + recent[i])
		}
	}
	return sb.String()
}
