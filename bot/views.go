package bot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// fieldView is one labelled field of a ticket, for templates.
type fieldView struct{ Label, Value string }

// ticketView is what message templates need to show a ticket.
type ticketView struct {
	T         *tickets.Ticket
	Kind      string
	Category  string
	Fields    []fieldView
	Target    tickets.Target
	Assignee  string
	Owner     string
	Requester string
	// Words are the person's own messages of the report, in full: the
	// fields above are what intake read out of them, shortened.
	Words string
	// Hours says, outside business hours, when someone will pick a new
	// ticket up.
	Hours string
}

func (b *Bot) ticketView(t *tickets.Ticket) ticketView {
	v := ticketView{T: t, Kind: string(t.Kind), Category: t.Category.Label(), Target: b.conf().SLA[t.Priority], Requester: t.Requester.Display(), Assignee: b.agentName(t.Assignee), Owner: b.agentName(t.Owner), Words: reportWords(t)}
	if t.Kind == tickets.KindRequest {
		if rt, ok := b.requestType(t.RequestType); ok {
			v.Kind = "service request (" + rt.Title + ")"
			for _, f := range rt.Fields {
				if val := t.Fields[f.Name]; val != "" {
					v.Fields = append(v.Fields, fieldView{Label: f.Name, Value: val})
				}
			}
		}
		return v
	}
	for _, f := range []struct{ key, label string }{
		{tickets.FieldSymptom, "Problem"}, {tickets.FieldDevice, "Device"}, {tickets.FieldApp, "App"}, {tickets.FieldError, "Error"},
		{tickets.FieldStarted, "Started"}, {tickets.FieldSteps, "Tried"}, {kbDeclinedField, "Articles shown, did not help"},
	} {
		if val := t.Fields[f.key]; val != "" {
			v.Fields = append(v.Fields, fieldView{Label: f.label, Value: val})
		}
	}
	return v
}

// reportWords is the report as its person wrote it: the first of their
// messages (the ones after it answer intake's questions, which the fields
// show).
func reportWords(t *tickets.Ticket) string {
	words, _, _ := strings.Cut(t.Fields["description"], "\n")
	return words
}

// agentName shows an assignee key as the agent's name.
func (b *Bot) agentName(key string) string {
	if key == "" {
		return ""
	}
	for _, a := range b.conf().Agents {
		for _, id := range a.IDs {
			if id == key {
				return a.Name
			}
		}
	}
	if i := strings.IndexByte(key, ':'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// eventView is one history line.
type eventView struct {
	At   time.Time
	Who  string
	What string
}

// show renders a ticket and its history. Requesters see only their own
// tickets and never internal notes, and neither does an agent on a ticket
// they reported (see seesInternal).
func (b *Bot) show(ctx context.Context, r request) ([]chat.Reply, error) {
	a, cmd := r.a, r.cmd
	id, rest, err := ticketArg(r.args, cmd.usage())
	if err != nil {
		return nil, err
	}
	// Slack and Discord show a long message as a wall: long texts are
	// folded there, and "full" unfolds them.
	fold := b.conf().Slash[r.m.Platform] && !strings.EqualFold(rest, "full")
	isAgent := a.IsAgent
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		if isNotFound(err) && !isAgent {
			return nil, notYours(id)
		}
		return nil, err
	}
	if !a.can(cmd, t) {
		return nil, a.refuse(cmd, t)
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	internal := seesInternal(a, t)
	var views []eventView
	for _, e := range evs {
		if !internal && !e.Public() {
			continue
		}
		views = append(views, eventView{At: e.At, Who: b.actorName(e.Actor, t), What: describeEvent(e, b)})
	}
	v := b.ticketView(t)
	folded := false
	if fold {
		var f bool
		v.Words, f = foldText(v.Words)
		folded = folded || f
		for i := range views {
			views[i].What, f = foldText(views[i].What)
			folded = folded || f
		}
	}
	text := b.render("ticket_show", map[string]any{"View": v, "Events": views})
	if folded {
		text += fmt.Sprintf("\n(Long texts are folded; /%s %d full shows them whole.)", cmd.Name, t.ID)
	}
	if internal {
		text += flagWarning(t)
	}
	return []chat.Reply{{Text: text, Ephemeral: true}}, nil
}

// foldAt is how long a text may be before /show folds it on Slack and
// Discord, in characters; foldKeep is how much of it stays.
const foldAt, foldKeep = 600, 400

// foldText shortens a long text to its start and says how much is left
// out; folded is false when it was short enough.
func foldText(s string) (out string, folded bool) {
	r := []rune(s)
	if len(r) <= foldAt {
		return s, false
	}
	return fmt.Sprintf("%s… [%d more characters]", strings.TrimSpace(string(r[:foldKeep])), len(r)-foldKeep), true
}

// seesInternal reports whether a sees t's internal notes, handoff notes
// and flags: an agent who works it. On their own ticket an agent is a
// requester — the notes above their tier may be about them ("…do not tell
// him yet"), and their right to the ticket is the reporter's.
func seesInternal(a actor, t *tickets.Ticket) bool {
	return a.IsAgent && !a.isRequester(t) && a.reaches(t)
}

func (b *Bot) actorName(key string, t *tickets.Ticket) string {
	if key == t.Requester.Key() {
		return t.Requester.Display()
	}
	return b.agentName(key)
}

func describeEvent(e *tickets.Event, b *Bot) string {
	// A text of several lines keeps its later lines under the history
	// line it belongs to.
	raw, e2 := e.Text, *e
	e2.Text = strings.ReplaceAll(e.Text, "\n", "\n    ")
	e = &e2
	switch e.Kind {
	case tickets.EventCreated:
		return "opened the ticket"
	case tickets.EventStatus:
		if e.Text != "" {
			return fmt.Sprintf("status %s → %s: %s", e.Before, e.After, e.Text)
		}
		return fmt.Sprintf("status %s → %s", e.Before, e.After)
	case tickets.EventAssigned:
		if e.After == "" {
			return "unassigned"
		}
		return "assigned to " + b.agentName(e.After)
	case tickets.EventReply:
		return "replied: " + e.Text
	case tickets.EventNote:
		return "internal note: " + e.Text
	case tickets.EventComment:
		return "wrote: " + e.Text
	case tickets.EventField:
		return fmt.Sprintf("changed %s from %q to %q", e.Field, e.Before, e.After)
	case tickets.EventLinked:
		if e.Field == movedField {
			return e.Text
		}
		return "linked: " + e.Text
	case tickets.EventEscalated:
		return fmt.Sprintf("escalated from tier %s to tier %s with handoff note:\n%s", e.Before, e.After, indent(raw))
	case tickets.EventDeescalated:
		return fmt.Sprintf("sent back to tier %s: %s", e.After, e.Text)
	case tickets.EventMerged:
		return "merged into #" + e.After
	case tickets.EventMajor:
		return "declared a major incident " + e.After
	case tickets.EventUpdate:
		return "posted an update: " + e.Text
	case tickets.EventFlag:
		return "flagged: " + e.After
	}
	return string(e.Kind) + " " + e.Text
}

// queueRow is one line of a ticket list. Requester, Due and Flags are
// filled for agents only.
type queueRow struct {
	Ref, Summary, Assignee string
	Priority               tickets.Priority
	Status                 tickets.Status
	ResolveDue             time.Time
	ResolvedAt             time.Time // zero until resolved: then the list says when, not a due date
	Requester, Due         string
	Flags                  []string
}

// queue lists active tickets, the most at risk of missing their SLA
// first: the nearest deadline still to meet (response until someone
// answered, then resolution), overdue ones at the top, tickets waiting on
// their requester (whose clock is stopped) last. Agents see their tier and
// below; managers and admins every tier. Reports linked to a major
// incident or merged into another ticket are worked through that ticket
// and left out.
func (b *Bot) queue(ctx context.Context, r request) ([]chat.Reply, error) {
	a := r.a
	f := tickets.TicketFilter{
		Statuses: []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated},
		Unlinked: true,
		Limit:    200,
	}
	title := "Open tickets"
	if !a.seesAll() {
		f.MaxTier = a.Agent.Tier
		title = "Open tickets, tier 1"
		if a.Agent.Tier > 1 {
			title = fmt.Sprintf("Open tickets, tiers 1–%d", a.Agent.Tier)
		}
	}
	ts, err := b.store.FindTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	sortByRisk(ts)
	return []chat.Reply{{Text: b.render("queue", b.agentQueueView(title, "The queue is empty. Nice.", ts)), Ephemeral: true}}, nil
}

// agentQueueView is queueView with what agents see of each ticket: who
// asked, where it stands against its SLA, and its flags.
func (b *Bot) agentQueueView(title, empty string, ts []*tickets.Ticket) map[string]any {
	v := b.queueView(title, empty, ts)
	rows := v["Tickets"].([]queueRow)
	now := b.now()
	for i, t := range ts {
		rows[i].Requester, rows[i].Due = t.Requester.Display(), dueLine(t, now, b.loc())
		for _, f := range t.Flags {
			rows[i].Flags = append(rows[i].Flags, strings.ReplaceAll(f, "-", " "))
		}
	}
	return v
}

// sortByRisk orders tickets by their next SLA deadline, pending ones last,
// then by priority.
func sortByRisk(ts []*tickets.Ticket) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, c := ts[i], ts[j]
		if pa, pc := a.Status == tickets.StatusPending, c.Status == tickets.StatusPending; pa != pc {
			return pc
		}
		if da, dc := nextDeadline(a), nextDeadline(c); !da.Equal(dc) {
			return da.Before(dc)
		}
		return a.Priority < c.Priority
	})
}

// dueLine says where a ticket stands against its SLA at now, for agents,
// with times on the clock of loc.
func dueLine(t *tickets.Ticket, now time.Time, loc *time.Location) string {
	by := func(what string, due time.Time) string {
		if due.IsZero() {
			return ""
		}
		s := what + " by " + due.In(loc).Format("Mon 2 Jan 15:04")
		if !due.After(now) && t.Status != tickets.StatusPending {
			s += " (OVERDUE)"
		}
		return s
	}
	var parts []string
	if t.Status == tickets.StatusPending {
		parts = append(parts, "waiting on the requester (SLA clock stopped)")
	}
	if t.FirstResponseAt.IsZero() {
		parts = append(parts, by("respond", t.ResponseDue))
	} else {
		parts = append(parts, "answered")
	}
	parts = append(parts, by("resolve", t.ResolveDue))
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "; ")
}

func (b *Bot) queueView(title, empty string, ts []*tickets.Ticket) map[string]any {
	rows := make([]queueRow, len(ts))
	for i, t := range ts {
		rows[i] = queueRow{Ref: t.Ref(), Summary: t.Summary, Assignee: b.agentName(t.Assignee), Priority: t.Priority, Status: t.Status, ResolveDue: t.ResolveDue, ResolvedAt: t.ResolvedAt}
	}
	return map[string]any{"Title": title, "Empty": empty, "Tickets": rows}
}

// article shows a KB article's full text, and counts it as read.
func (b *Bot) article(ctx context.Context, r request) ([]chat.Reply, error) {
	id := strings.TrimSpace(r.args)
	if id == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Which article? Usage: /article ID (the ID is shown under each suggestion).")
	}
	a, ok := b.kb.Article(id)
	if !ok {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "There is no article %q. The ID is shown under each suggestion, like /article vpn-cannot-connect.", id)
	}
	b.countOpened(ctx, r.m, id)
	return []chat.Reply{{Text: a.Title + "\n\n" + a.Body, Ephemeral: true}}, nil
}

// mine lists the sender's open tickets.
//
// Tickets are shown to requesters only when they are theirs; see show.
// status is /status N; without a number it lists the person's tickets,
// as /mine does: someone asking how their report is going should not have
// to look its number up first.
func (b *Bot) status(ctx context.Context, r request) ([]chat.Reply, error) {
	if strings.TrimSpace(r.args) == "" {
		return b.mine(ctx, r)
	}
	return b.show(ctx, r)
}

// mine is /mine: the person's tickets not yet closed. An agent also sees
// the active tickets they work: those assigned to them, and those they
// own at tier 1 that are escalated to someone else, which their /queue no
// longer lists.
func (b *Bot) mine(ctx context.Context, r request) ([]chat.Reply, error) {
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{
		Requesters: append([]string{r.m.User.Key()}, r.a.Also...),
		Statuses:   []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated, tickets.StatusResolved},
	})
	if err != nil {
		return nil, err
	}
	const empty = "You have no open tickets. Describe a problem whenever you need help."
	if !r.a.IsAgent {
		return []chat.Reply{{Text: b.render("queue", b.queueView("Your tickets", empty, ts)), Ephemeral: true}}, nil
	}
	working, owned, err := b.agentWork(ctx, r.a)
	if err != nil {
		return nil, err
	}
	var parts []string
	if len(ts) > 0 {
		parts = append(parts, b.render("queue", b.queueView("Your tickets", empty, ts)))
	}
	if len(working) > 0 {
		parts = append(parts, b.render("queue", b.agentQueueView("Working on", "", working)))
	}
	if len(owned) > 0 {
		parts = append(parts, b.render("queue", b.agentQueueView("You own, escalated", "", owned)))
	}
	if len(parts) == 0 {
		parts = append(parts, "You have no open tickets: none you reported, none assigned to you and none you own. /queue lists the tickets you can take.")
	}
	return []chat.Reply{{Text: strings.Join(parts, "\n\n"), Ephemeral: true}}, nil
}

// agentWork is the active tickets a works, the most at risk first:
// working, assigned to them; owned, those they own at tier 1 that someone
// else now has.
func (b *Bot) agentWork(ctx context.Context, a actor) (working, owned []*tickets.Ticket, err error) {
	keys := []string{a.Person.Key()}
	for _, id := range a.Agent.IDs {
		if !slices.Contains(keys, id) {
			keys = append(keys, id)
		}
	}
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{
		Workers:  keys,
		Statuses: activeStatuses,
		Limit:    200,
	})
	if err != nil {
		return nil, nil, err
	}
	sortByRisk(ts)
	for _, t := range ts {
		if slices.Contains(keys, t.Assignee) {
			working = append(working, t)
		} else {
			owned = append(owned, t)
		}
	}
	return working, owned, nil
}

// flagWarning is the line agents see on a flagged ticket before they
// change anything about the account it concerns.
func flagWarning(t *tickets.Ticket) string {
	var lines []string
	if t.HasFlag(tickets.FlagIdentity) {
		lines = append(lines, "⚠ Identity verification required: this request is about someone else's account. Verify who is asking and their authority (call back on a known number, or confirm with the account holder) before changing anything.")
	}
	if t.HasFlag(tickets.FlagSocialEngineering) {
		lines = append(lines, "⚠ Social-engineering cues in this report (pressure, claimed authority or a request to skip verification). Follow the verification procedure regardless of urgency.")
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n")
}
