package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A major incident is one ticket standing for an outage many people hit.
// While it is open, a new report that matches it becomes a linked ticket
// (left out of the queue) instead of more work, the reporter is told the
// known status, every status update reaches every linked reporter once,
// and resolving the incident resolves the linked reports.
//
// A report matches an open major incident when any of these holds:
//   - its error text equals the incident's, ignoring case and spacing;
//   - it names the incident's service (set with /major N SERVICE, e.g.
//     "VPN" or "Outlook") as a whole word;
//   - it has the incident's category and at least half of the content
//     words of the incident's summary.

// declareMajor marks a ticket as a major incident.
func (b *Bot) declareMajor(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	id, service, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, r.cmd, id)
		if err != nil {
			return nil, err
		}
		if !t.Status.Active() {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is %s; only an open ticket can be a major incident.", t.Ref(), t.Status)
		}
		if t.LinkedTo != 0 {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is linked to #%d; declare that one instead.", t.Ref(), t.LinkedTo)
		}
		if t.Major && (service == "" || service == t.Fields["service"]) {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is already a major incident; post status with /update %d TEXT.", t.Ref(), t.ID)
		}
		now := b.now()
		if service != "" {
			if t.Fields == nil {
				t.Fields = map[string]string{}
			}
			t.Fields["service"] = service
		}
		t.Major, t.UpdatedAt = true, now
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventMajor, After: service}); err != nil {
			return nil, err
		}
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		// The storm's reports so far join it, as later ones will.
		linked, suggested, err := b.linkStorm(ctx, tx, t, m.User.Key())
		if err != nil {
			return nil, err
		}
		joined := ""
		if n := len(linked); n > 0 {
			joined = fmt.Sprintf(" %d open %s from the last %s %s linked to it.", n, plural(n, "report", "reports"), shortDur(b.conf().Storm.Window), plural(n, "was", "were"))
		}
		news := fmt.Sprintf("%s declared %s a MAJOR INCIDENT%s. Matching new reports are linked to it; post status with /update %d.%s", a.Agent.Name, t.Ref(), orEmpty(" for "+service, service), t.ID, joined)
		if err := b.updateCard(ctx, tx, t, "major", news, true); err != nil {
			return nil, err
		}
		if err := b.stormDeclared(ctx, tx, t, a.Agent.Name, linked, suggested); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, t, a, "major", news); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is now a major incident. New reports matching it%s are linked to it.%s Post status updates with /update %d TEXT; resolving it resolves every linked report.", t.Ref(), orEmpty(" (service "+service+")", service), joined, t.ID)}}, nil
	})
}

// majorUpdate posts a status update on a major incident to everyone
// affected: the incident's requester and every linked reporter, once each.
func (b *Bot) majorUpdate(ctx context.Context, r request) ([]chat.Reply, error) {
	m, a := r.m, r.a
	id, text, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "What is the update? Usage: %s", r.cmd.usage())
	}
	return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
		t, err := b.ticketFor(ctx, tx, a, r.cmd, id)
		if err != nil {
			return nil, err
		}
		if !t.Major {
			return nil, tickets.Errorf(tickets.ECONFLICT, "%s is not a major incident; use /reply %d to write to its requester.", t.Ref(), t.ID)
		}
		now := b.now()
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventUpdate, Text: text}); err != nil {
			return nil, err
		}
		if t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = now
		}
		t.UpdatedAt = now
		if err := b.save(ctx, tx, t); err != nil {
			return nil, err
		}
		// The update is the incident's public text; its summary is its
		// reporter's words, so it is named by number and service.
		msg := fmt.Sprintf("Update on the %s, from %s:\n%s", majorName(t), a.Agent.Name, quoteLines(text))
		h, err := b.tellAffected(ctx, tx, t, "update", msg)
		if err != nil {
			return nil, err
		}
		n := h.count()
		news := fmt.Sprintf("%s posted an update to %d affected %s:\n%s", a.Agent.Name, n, plural(n, "person", "people"), quoteLines(text))
		if err := b.updateCard(ctx, tx, t, "update", news, false); err != nil {
			return nil, err
		}
		if err := b.tellOwner(ctx, tx, t, a, "update", news); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("Update sent to %d affected %s.", n, plural(n, "person", "people"))}}, nil
	})
}

// matchMajor finds an open major incident the report in s matches.
func (b *Bot) matchMajor(ctx context.Context, tx tickets.Tx, s *intakeState) (*tickets.Ticket, bool, error) {
	majors, err := tx.FindTickets(ctx, tickets.TicketFilter{Major: true, Statuses: []tickets.Status{
		tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated}, Limit: 20})
	if err != nil {
		return nil, false, fmt.Errorf("find major incidents: %w", err)
	}
	text := strings.Join(s.Messages, "\n")
	errText := normalizeSpace(s.Fields[tickets.FieldError])
	words := extract.ContentWords(text)
	for _, t := range majors {
		if e := normalizeSpace(t.Fields[tickets.FieldError]); e != "" && e == errText {
			return t, true, nil
		}
		if svc := strings.TrimSpace(t.Fields["service"]); svc != "" {
			if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(svc) + `\b`).MatchString(text) {
				return t, true, nil
			}
		}
		theirs := extract.ContentWords(t.Summary)
		shared := 0
		for w := range theirs {
			if words[w] {
				shared++
			}
		}
		if s.Category != "" && s.Category == t.Category && len(theirs) > 0 && 2*shared >= len(theirs) {
			return t, true, nil
		}
	}
	return nil, false, nil
}

// linkToMajor files the report as a ticket linked to the major incident and
// tells the reporter what is known.
func (b *Bot) linkToMajor(ctx context.Context, tx tickets.Tx, m chat.Message, s *intakeState, major *tickets.Ticket) ([]chat.Reply, error) {
	t := b.ticketFromIntake(m, s)
	t.LinkedTo = major.ID
	if err := b.create(ctx, tx, t); err != nil {
		return nil, fmt.Errorf("link to major incident: %w", err)
	}
	now := t.CreatedAt
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventCreated, After: string(t.Status), Text: t.Summary}); err != nil {
		return nil, err
	}
	if err := tx.AddEvent(ctx, &tickets.Event{TicketID: major.ID, At: now, Actor: m.User.Key(), Kind: tickets.EventLinked, After: fmt.Sprint(t.ID), Text: fmt.Sprintf("%s reported the same (%s)", m.User.Display(), t.Ref())}); err != nil {
		return nil, err
	}
	// The latest update only, through an index: the incident's events are
	// one a report, thousands in a storm.
	status := "The team is working on it."
	upd, err := tx.LatestEvent(ctx, major.ID, tickets.EventUpdate)
	switch {
	case err == nil:
		status = fmt.Sprintf("Latest update (%s):\n%s", b.when(upd.At, "15:04"), quoteLines(upd.Text))
	case tickets.ErrorCode(err) != tickets.ENOTFOUND:
		return nil, err
	}
	if err := b.tellAffectedCount(ctx, tx, major, t, m.User.Display()); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("This looks like a known %s. Your report is recorded as %s and linked to it, so you'll get every update and hear when it's fixed — no need to report it again.\n%s", majorName(major), t.Ref(), status)}}, nil
}

// tellAffectedCount keeps one message in the incident's card thread saying
// how many reports are linked and the latest: posted with the first
// report, edited with each next one. Waiting edits give way to newer ones
// (see tickets.Tx.Enqueue), so a storm of reports is a handful of edits
// at the pace the triage channel takes, not a post per report (issue 16:
// 1,338-1,561 posts a second to one thread).
func (b *Bot) tellAffectedCount(ctx context.Context, tx tickets.Tx, major, report *tickets.Ticket, who string) error {
	n, err := tx.CountTickets(ctx, tickets.TicketFilter{LinkedTo: major.ID})
	if err != nil {
		return err
	}
	// The incident's own reporter is affected too, as /update counts.
	text := fmt.Sprintf("%d people affected so far, latest %s: %s (%s).",
		n+1, b.when(report.CreatedAt, "15:04"), who, report.Ref())
	key := fmt.Sprintf("ticket:%d:affected", major.ID)
	// The first report posts it; later ones, and a link made before the
	// message existed, find it posted and edit it.
	now := b.now()
	added, err := tx.Enqueue(ctx, &tickets.OutboxMessage{Key: key, To: b.conf().Triage, Thread: cardKey(major.ID),
		TicketID: major.ID, Text: b.localize(b.conf().Triage.Platform, text), Created: now, NextAttempt: now})
	if err != nil || added {
		return err
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: fmt.Sprintf("%s:%d", key, report.ID), To: b.conf().Triage,
		Edit: key, TicketID: major.ID, Text: text})
}

// resolveLinked resolves the active reports linked to a resolved ticket
// (a major incident's reporters), every one of them however many; their requesters hear that it is
// resolved through t's resolution (see linkedNews), not its text, which
// was written to t's requester: a major incident's public words are its
// updates.
func (b *Bot) resolveLinked(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, actorKey string) error {
	now := b.now()
	return tickets.EachTicket(ctx, tx, tickets.TicketFilter{LinkedTo: t.ID, Statuses: activeStatuses}, func(l *tickets.Ticket) error {
		l.Resolution = fmt.Sprintf("Resolved with the %s.", majorName(t))
		if err := b.setStatusSaying(ctx, tx, l, tickets.StatusResolved, actorKey, l.Resolution); err != nil {
			return err
		}
		l.ResolvedAt = now
		return b.save(ctx, tx, l)
	})
}

func normalizeSpace(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func orEmpty(s, cond string) string {
	if cond == "" {
		return ""
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
