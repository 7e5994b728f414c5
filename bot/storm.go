package bot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A storm is an outage arriving as separate reports before anyone has
// declared a major incident: StormRule.Reports similar open reports within
// StormRule.Window. The triage channel is told once per storm, with a
// button that declares its first report a major incident; declaring one
// links the storm's open, unclaimed reports to it (declareMajor), so the
// queue holds one ticket and /update reaches everyone.

// StormRule is when similar reports suggest a major incident: Reports of
// them (0 turns the suggestion off) within Window.
type StormRule struct {
	Reports int
	Window  time.Duration
}

// DefaultStormRule suggests a major incident at 5 similar reports within
// 10 minutes.
func DefaultStormRule() StormRule { return StormRule{Reports: 5, Window: 10 * time.Minute} }

// similarReports reports whether two reports look like the same outage:
// the same error text, or the same category and at least half the content
// words of the shorter summary (two at the least, so "VPN down" and
// "printer down" differ).
func similarReports(a, b *tickets.Ticket) bool { return newReportMatcher(a).similar(b) }

// reportMatcher is similarReports with one side's error text and content
// words worked out once: the storm check compares a new report with up
// to stormScan others.
type reportMatcher struct {
	errText  string
	category tickets.Category
	words    map[string]bool
}

// newReportMatcher prepares a for similarReports.
func newReportMatcher(a *tickets.Ticket) *reportMatcher {
	m := &reportMatcher{errText: normalizeSpace(a.Fields[tickets.FieldError]), category: a.Category}
	m.words = extract.ContentWords(a.Summary)
	return m
}

// similar reports whether b looks like the same outage as the matcher's
// report (see similarReports).
func (m *reportMatcher) similar(b *tickets.Ticket) bool {
	if m.errText != "" && m.errText == normalizeSpace(b.Fields[tickets.FieldError]) {
		return true
	}
	if m.category != b.Category {
		return false
	}
	aw, bw := m.words, extract.ContentWords(b.Summary)
	if len(aw) > len(bw) {
		aw, bw = bw, aw
	}
	shared := 0
	for w := range aw {
		if bw[w] {
			shared++
		}
	}
	return shared >= 2 && 2*shared >= len(aw) || len(aw) == 1 && shared == 1
}

// stormScan bounds the recent reports a new one is compared with when no
// storm is under way: enough to see one start, and the cost of a report
// stays flat however busy the window.
const stormScan = 200

// stormPeek is how many of the newest reports are read first: in a storm
// the newest similar one is among them, and it carries the storm's size
// (tickets.FieldStormSize), so the 5,000th report of an outage reads as
// few rows as the 6th.
const stormPeek = 16

// findStorm looks, before t is stored, for a storm t belongs to: the open,
// unlinked reports of the last StormRule.Window similar to it, at least
// StormRule.Reports with t. It runs for every new incident inside the
// write transaction, so it reads the reports' digests (FindReports), not
// whole tickets, and the storm's first report in full only once a storm is
// found. A report's tickets.FieldStorm names that first report, so the
// storm's suggestion is posted once, under its number, however the window
// moves on; its tickets.FieldStormSize counts the storm's reports so far,
// so the next report counts on from the newest one like it instead of
// reading the window again (the count is every report the storm has had,
// not only those of the last window). A storm goes on while the rule holds
// in the window and its first report is open (not declared a major
// incident, linked, closed or gone); after that its reports count afresh.
// When t is part of a storm it marks t as one of it and returns the storm's
// first report, its size with t, and its size before t; first is nil
// otherwise.
func (b *Bot) findStorm(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) (first *tickets.Ticket, n, prev int, err error) {
	rule := b.conf().Storm
	if rule.Reports < 2 || t.Kind != tickets.KindIncident {
		return nil, 0, 0, nil
	}
	f := tickets.TicketFilter{CreatedAfter: t.CreatedAt.Add(-rule.Window), Statuses: activeStatuses, Unlinked: true, Limit: stormPeek}
	recent, err := tx.FindReports(ctx, f)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("storm: %w", err)
	}
	scan := func() error {
		if len(recent) < stormPeek || f.Limit == stormScan {
			return nil // recent is the whole window already
		}
		f.Limit = stormScan
		recent, err = tx.FindReports(ctx, f)
		if err != nil {
			return fmt.Errorf("storm: %w", err)
		}
		return nil
	}
	match := newReportMatcher(t)
	firstID, n, prev := stormGoingOn(match, recent, rule.Reports)
	if n == 0 {
		if err := scan(); err != nil {
			return nil, 0, 0, err
		}
		firstID, n, prev = stormGoingOn(match, recent, rule.Reports)
	}
	var over int64
	if n > 0 {
		first, err = tx.Ticket(ctx, firstID)
		switch {
		case err == nil && stormOpen(first):
			markStorm(t, first, n)
			return first, n, prev, nil
		case err != nil && !isNotFound(err):
			return nil, 0, 0, fmt.Errorf("storm: %w", err)
		}
		// The storm is over: its reports like t count afresh.
		over = firstID
		if err := scan(); err != nil {
			return nil, 0, 0, err
		}
	}
	firstID, oldest, n := stormStarting(match, recent, over)
	if n < rule.Reports {
		return nil, 0, 0, nil
	}
	first, err = tx.Ticket(ctx, firstID)
	if isNotFound(err) && firstID != oldest {
		first, err = tx.Ticket(ctx, oldest) // the storm's first report is gone
	}
	if err != nil {
		return nil, 0, 0, fmt.Errorf("storm: %w", err)
	}
	markStorm(t, first, n)
	return first, n, n - 1, nil
}

// stormOpen reports whether a storm whose first report is first goes on:
// that report is still an open report, not a major incident (once one is
// declared, matching reports link to it instead), nor linked, nor closed.
func stormOpen(first *tickets.Ticket) bool {
	return !first.Major && first.LinkedTo == 0 && slices.Contains(activeStatuses, first.Status)
}

// markStorm marks t as report n of the storm first began.
func markStorm(t, first *tickets.Ticket, n int) {
	if t.Fields == nil {
		t.Fields = map[string]string{}
	}
	t.Fields[tickets.FieldStorm] = fmt.Sprint(first.ID)
	t.Fields[tickets.FieldStormSize] = fmt.Sprint(n)
}

// stormGoingOn finds, among recent reports (newest first, those of the
// window), the newest one similar to the matcher's that knows its storm's
// size, and returns that storm's first report and its size with the new
// report (the size, plus the similar reports since that do not know
// theirs, plus one) and before it. n is 0 when there is none, or when the
// window no longer holds reports reports like it, the new one included:
// the storm has died down.
func stormGoingOn(match *reportMatcher, recent []*tickets.Ticket, reports int) (firstID int64, n, prev int) {
	similar, since, size := 0, 0, 0
	for _, r := range recent {
		if r.Major || r.Kind != tickets.KindIncident || !match.similar(r) {
			continue
		}
		similar++
		if size > 0 {
			continue // counting the window's similar reports only
		}
		var id int64
		var k int
		_, err1 := fmt.Sscan(r.Fields[tickets.FieldStorm], &id)
		_, err2 := fmt.Sscan(r.Fields[tickets.FieldStormSize], &k)
		if err1 == nil && err2 == nil && id > 0 && k > 0 {
			firstID, size = id, k
			continue
		}
		since++
	}
	if size == 0 || similar+1 < reports {
		return 0, 0, 0
	}
	return firstID, size + since + 1, size + since
}

// stormStarting counts the recent reports (newest first) similar to the
// matcher's, the new one included, and names the storm they belong to:
// the one the newest of them already names (unless that storm is over),
// or a new one from the oldest of them (also returned, should the named
// one be gone).
func stormStarting(match *reportMatcher, recent []*tickets.Ticket, over int64) (firstID, oldest int64, n int) {
	var similar []*tickets.Ticket
	for _, r := range recent {
		if !r.Major && r.Kind == tickets.KindIncident && match.similar(r) {
			similar = append(similar, r)
		}
	}
	if len(similar) == 0 {
		return 0, 0, 1
	}
	oldest = similar[len(similar)-1].ID
	firstID = oldest
	for _, r := range similar {
		if id := r.Fields[tickets.FieldStorm]; id != "" {
			if _, err := fmt.Sscan(id, &firstID); err != nil || firstID == over {
				firstID = oldest
			}
			break
		}
	}
	return firstID, oldest, len(similar) + 1
}

// suggestMajor tells the triage channel, once per storm, that first and
// the reports like it (n of them) look like one outage, with a button
// that declares first a major incident. As the storm grows the suggestion
// is edited with the count at each doubling, not per report.
func (b *Bot) suggestMajor(ctx context.Context, tx tickets.Tx, first *tickets.Ticket, n, prev int) error {
	rule := b.conf().Storm
	key := fmt.Sprintf("storm:%d", first.ID)
	// A storm longer than the window says how long it has been going on.
	span := max(rule.Window, b.now().Sub(first.CreatedAt).Truncate(time.Minute))
	text := fmt.Sprintf("Possible outage: %d similar reports in the last %s, the first %s: %s\nDeclare %s a major incident to link the open reports like it and every matching new one to it, then tell everyone affected with /update %d.",
		n, shortDur(span), first.Ref(), first.Summary, first.Ref(), first.ID)
	buttons := []tickets.Button{{Label: "Declare major incident", Action: chat.ActionMajor, Value: fmt.Sprint(first.ID)}}
	now := b.now()
	added, err := tx.Enqueue(ctx, &tickets.OutboxMessage{Key: key, To: b.conf().Triage, TicketID: first.ID,
		Text: b.localize(b.conf().Triage.Platform, text), Buttons: buttons, Created: now, NextAttempt: now})
	d := doublingIn(prev, n, rule.Reports)
	if err != nil || added || d == 0 {
		return err
	}
	return b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: fmt.Sprintf("%s:%d", key, d), To: b.conf().Triage, Edit: key,
		TicketID: first.ID, Text: text, Buttons: buttons})
}

// doublingIn is the largest of from, 2·from, 4·from, … in (prev, n], or
// 0: the count a storm's suggestion is edited at, once, even when a report
// moves the count on by more than one.
func doublingIn(prev, n, from int) int {
	d := 0
	for k := from; k <= n; k *= 2 {
		if k > prev {
			d = k
		}
	}
	return d
}

// linkStorm links to the major incident t the open, unclaimed reports
// created within the storm window before now that match it, telling each
// reporter, and returns them; suggested is whether the triage channel was
// told of them as a storm (see suggestMajor).
func (b *Bot) linkStorm(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, actor string) (linked []*tickets.Ticket, suggested bool, err error) {
	window := b.conf().Storm.Window
	if window <= 0 {
		return nil, false, nil
	}
	now := b.now()
	match := newReportMatcher(t)
	err = tickets.EachTicket(ctx, tx, tickets.TicketFilter{
		CreatedAfter: now.Add(-window), Statuses: []tickets.Status{tickets.StatusNew}, Unlinked: true, Assignee: "-",
	}, func(r *tickets.Ticket) error {
		if r.ID != t.ID && !r.Major && (r.Fields[tickets.FieldStorm] == fmt.Sprint(t.ID) || match.similar(r)) {
			linked = append(linked, r)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	for _, r := range linked {
		suggested = suggested || r.Fields[tickets.FieldStorm] == fmt.Sprint(t.ID)
		r.LinkedTo, r.UpdatedAt = t.ID, now
		if err := tx.AddEvent(ctx, &tickets.Event{TicketID: t.ID, At: now, Actor: actor, Kind: tickets.EventLinked, After: fmt.Sprint(r.ID),
			Text: fmt.Sprintf("%s reported the same (%s)", r.Requester.Display(), r.Ref())}); err != nil {
			return nil, false, err
		}
		if err := b.save(ctx, tx, r); err != nil {
			return nil, false, err
		}
		if err := b.updateCard(ctx, tx, r, "linked-major", fmt.Sprintf("Linked to the %s.", majorName(t)), true); err != nil {
			return nil, false, err
		}
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{
			Key: fmt.Sprintf("ticket:%d:linked-major:%d", r.ID, t.ID), To: r.Origin, UserID: r.Requester.UserID, TicketID: r.ID,
			Text: fmt.Sprintf("Your report %s is part of a known outage, the %s: it is linked to it, so you'll get every update and hear when it's fixed — no need to report it again.", r.Ref(), majorName(t)),
		}); err != nil {
			return nil, false, err
		}
	}
	return linked, suggested, nil
}

// stormDeclared tells the triage channel, after t was declared a major
// incident: the storm's suggestion loses its button, and the incident's
// thread counts the reports linked so far.
func (b *Bot) stormDeclared(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, by string, linked []*tickets.Ticket, suggested bool) error {
	if suggested {
		key := fmt.Sprintf("storm:%d", t.ID)
		if err := b.enqueue(ctx, tx, &tickets.OutboxMessage{Key: key + ":declared", To: b.conf().Triage, Edit: key, TicketID: t.ID,
			Text: fmt.Sprintf("Possible outage: %s declared %s a major incident; its reports are linked to it.", by, t.Ref())}); err != nil {
			return err
		}
	}
	if len(linked) == 0 {
		return nil
	}
	last := slices.MaxFunc(linked, func(a, c *tickets.Ticket) int { return a.CreatedAt.Compare(c.CreatedAt) })
	return b.tellAffectedCount(ctx, tx, t, last, last.Requester.Display())
}
