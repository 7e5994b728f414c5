package bot

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Scheduled reports: one message per agent per day with their open tickets
// by SLA risk, and a daily summary for managers. Each is keyed by the
// scheduled time it is for, so a second run, or a run on another replica,
// sends nothing more.

var activeStatuses = []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated}

// nextDeadline is the SLA deadline a ticket must meet next.
func nextDeadline(t *tickets.Ticket) time.Time {
	if t.FirstResponseAt.IsZero() && !t.ResponseDue.IsZero() && t.ResponseDue.Before(t.ResolveDue) {
		return t.ResponseDue
	}
	return t.ResolveDue
}

// agentDigests sends each agent named by ID their open tickets, the most
// at risk of missing their SLA first, and returns how many were sent.
// Agents with nothing open get nothing.
func (b *Bot) agentDigests(ctx context.Context, at time.Time) (int, error) {
	sent := 0
	for _, ag := range b.conf().Agents {
		if len(ag.IDs) == 0 {
			continue // a group: its members are not known by ID
		}
		var mine []*tickets.Ticket
		for _, id := range ag.IDs {
			ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{Assignee: id, Statuses: activeStatuses, Limit: 500})
			if err != nil {
				return sent, fmt.Errorf("agent digest: %w", err)
			}
			mine = append(mine, ts...)
		}
		if len(mine) == 0 {
			continue
		}
		sort.SliceStable(mine, func(i, j int) bool {
			// Pending tickets wait on the requester; they go last.
			pi, pj := mine[i].Status == tickets.StatusPending, mine[j].Status == tickets.StatusPending
			if pi != pj {
				return pj
			}
			return nextDeadline(mine[i]).Before(nextDeadline(mine[j]))
		})
		var sb strings.Builder
		fmt.Fprintf(&sb, "Good morning %s. Your open tickets (%d), most at risk first:", ag.Name, len(mine))
		for _, t := range mine {
			due := nextDeadline(t)
			risk := "due " + b.digestWhen(due, at)
			switch {
			case t.Status == tickets.StatusPending:
				risk = "waiting on the requester"
			case !due.After(at):
				risk = "OVERDUE since " + b.digestWhen(due, at)
			}
			fmt.Fprintf(&sb, "\n  %s  %s  %s — %s", t.Ref(), t.Priority, risk, t.Summary)
		}
		platform, user, _ := strings.Cut(ag.IDs[0], ":")
		key := fmt.Sprintf("digest:agent:%s:%d", ag.IDs[0], at.Unix())
		added, err := b.store.Enqueue(ctx, &tickets.OutboxMessage{Key: key, To: tickets.Place{Platform: platform}, UserID: user,
			Text: b.localize(platform, sb.String()), Created: b.now(), NextAttempt: b.now()})
		if err != nil {
			return sent, fmt.Errorf("agent digest: %w", err)
		}
		if added {
			sent++
		}
	}
	b.notify()
	return sent, nil
}

// managerSummary sends the managers' channel the day's figures: new and
// resolved tickets, SLA breaches, satisfaction, self-service, and the
// oldest open ticket.
func (b *Bot) managerSummary(ctx context.Context, at time.Time) (sent bool, err error) {
	since := at.Add(-24 * time.Hour)
	// The summary runs on working days: Monday's covers the weekend too,
	// from the last summary's time, so nothing opened on Saturday goes
	// unreported (a week at most, for a desk whose summaries stopped).
	last := time.Time{}
	switch state, err := b.store.JobState(ctx, summaryStateKey); {
	case err == nil:
		if last, err = time.Parse(time.RFC3339, state); err != nil {
			last = time.Time{} // not ours: the last 24 hours
		}
	case tickets.ErrorCode(err) != tickets.ENOTFOUND:
		return false, fmt.Errorf("manager summary: %w", err)
	}
	if !last.IsZero() && last.Before(since) && !last.Before(at.Add(-7*24*time.Hour)) {
		since = last
	}
	if last.Before(at) {
		defer func() {
			if err != nil {
				return // tried again for the same time, over the same period
			}
			if err = b.store.SetJobState(ctx, summaryStateKey, at.UTC().Format(time.RFC3339), b.now()); err != nil {
				err = fmt.Errorf("manager summary: %w", err)
			}
		}()
	}
	changed, err := b.store.FindTickets(ctx, tickets.TicketFilter{UpdatedAfter: since, Limit: 100000})
	if err != nil {
		return false, fmt.Errorf("manager summary: %w", err)
	}
	open, err := b.store.FindTickets(ctx, tickets.TicketFilter{Statuses: activeStatuses, Unlinked: true, Limit: 100000})
	if err != nil {
		return false, fmt.Errorf("manager summary: %w", err)
	}
	self, err := b.store.SelfServices(ctx, since)
	if err != nil {
		return false, fmt.Errorf("manager summary: %w", err)
	}
	var created, resolved, breached, rated, csatSum int
	for _, t := range changed {
		if t.CreatedAt.After(since) && !t.CreatedAt.After(at) {
			created++
		}
		if !t.ResolvedAt.IsZero() && t.ResolvedAt.After(since) && !t.ResolvedAt.After(at) {
			resolved++
			if t.ResolvedAt.After(t.ResolveDue) && !t.ResolveDue.IsZero() {
				breached++
			}
		}
		if t.CSAT > 0 {
			// Only a rating given in the period: a ticket rated days ago
			// and closed today is not rated again.
			score, err := b.ratedIn(ctx, t.ID, since, at)
			if err != nil {
				return false, fmt.Errorf("manager summary: %w", err)
			}
			if score > 0 {
				rated++
				csatSum += score
			}
		}
	}
	openByThen := 0
	for _, t := range open {
		if !t.ResolveDue.IsZero() && t.ResolveDue.Before(at) && t.Status != tickets.StatusPending {
			breached++
		}
		if !t.CreatedAt.After(at) {
			openByThen++
		}
	}
	if created == 0 && resolved == 0 && len(self) == 0 && openByThen == 0 && rated == 0 {
		// A desk with nothing to report for the period (a brand-new one, a
		// quiet day with nothing open) says nothing rather than a row of
		// zeros, also when a late run finds tickets opened since.
		return false, nil
	}
	var sb strings.Builder
	span := "24 hours to " + b.when(at, "Mon 2 Jan 15:04")
	if at.Sub(since) != 24*time.Hour {
		span = b.when(since, "Mon 2 Jan 15:04") + " to " + b.when(at, "Mon 2 Jan 15:04")
	}
	fmt.Fprintf(&sb, "Help desk, %s: %d new, %d resolved, %d self-served with an article, %d open now.",
		span, created, resolved, len(self), len(open))
	fmt.Fprintf(&sb, "\nSLA: %d breached (resolved late, or open past their deadline).", breached)
	if rated > 0 {
		fmt.Fprintf(&sb, "\nSatisfaction: %.1f / 5 from %d %s.", float64(csatSum)/float64(rated), rated, plural(rated, "rating", "ratings"))
	} else {
		sb.WriteString("\nSatisfaction: no ratings.")
	}
	if len(open) > 0 {
		oldest := open[len(open)-1] // newest first
		for _, t := range open {
			if t.CreatedAt.Before(oldest.CreatedAt) {
				oldest = t
			}
		}
		fmt.Fprintf(&sb, "\nOldest open: %s (%s, %s) opened %s, %s.", oldest.Ref(), oldest.Priority, oldest.Summary,
			b.when(oldest.CreatedAt, "Mon 2 Jan"), orTeam(b.agentName(oldest.Assignee)))
	}
	to := b.conf().ManagerChannel
	added, err := b.store.Enqueue(ctx, &tickets.OutboxMessage{Key: fmt.Sprintf("digest:manager:%d", at.Unix()), To: to,
		Text: sb.String(), Created: b.now(), NextAttempt: b.now()})
	if err != nil {
		return false, fmt.Errorf("manager summary: %w", err)
	}
	b.notify()
	return added, nil
}

// summaryStateKey names the job state record of the time the last
// manager summary covered to.
const summaryStateKey = "manager_summary:last"

// ratedIn is the last rating ticket id was given after since and by at,
// or 0.
func (b *Bot) ratedIn(ctx context.Context, id int64, since, at time.Time) (int, error) {
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return 0, err
	}
	score := 0
	for _, e := range evs {
		if e.Kind == tickets.EventRated && e.At.After(since) && !e.At.After(at) {
			if n, err := strconv.Atoi(e.After); err == nil {
				score = n
			}
		}
	}
	return score, nil
}

// digestWhen shows a deadline in a digest sent at at: the weekday alone
// within six days of it, the date too beyond ("due Mon 15:04" eight days
// out would name the wrong Monday).
func (b *Bot) digestWhen(due, at time.Time) string {
	if d := due.Sub(at); d > 6*24*time.Hour || d < -6*24*time.Hour {
		return b.when(due, "Mon 2 Jan 15:04")
	}
	return b.when(due, "Mon 15:04")
}
