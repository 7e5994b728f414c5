package kpi

import (
	"slices"
	"sync"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// History is what the KPIs are computed from: tickets with their audit
// events, and the reports self-service solved without a ticket. It must
// not change once a period has been computed from it (each ticket's
// events are read once, then kept).
type History struct {
	Tickets      []Record
	SelfServices []*tickets.SelfService

	// cached holds each ticket's life, read from its events once for
	// every period computed from the history (the dashboard computes one
	// per day).
	read   sync.Once
	cached []*life
}

// lives reads every ticket's life, once.
func (h *History) lives() []*life {
	h.read.Do(func() {
		h.cached = make([]*life, len(h.Tickets))
		for i, r := range h.Tickets {
			h.cached[i] = readLife(r)
		}
	})
	return h.cached
}

// Record is one ticket and its events, oldest first.
type Record struct {
	Ticket *tickets.Ticket
	Events []*tickets.Event
}

// life is a ticket's history read from its events: what the KPIs need to
// know of it at any moment.
type life struct {
	t *tickets.Ticket
	// changes are the status changes, in order.
	changes []*tickets.Event
	// firstResponse is when the requester first heard from a person.
	firstResponse time.Time
	escalations   []time.Time
	merged        bool
	// reopens are the times it went from resolved or closed back to work.
	reopens []time.Time
	// assigns are the assignee changes, in order.
	assigns []*tickets.Event
	// rated is when the requester rated it, and the score.
	ratedAt time.Time
	score   int
	// doneAt is when it was last resolved or closed, if it is (isDone).
	doneAt time.Time
	isDone bool
}

func readLife(r Record) *life {
	t := r.Ticket
	l := &life{t: t}
	requester := t.Requester.Key()
	for _, e := range r.Events {
		switch e.Kind {
		case tickets.EventStatus:
			l.changes = append(l.changes, e)
			if isReopen(e) {
				l.reopens = append(l.reopens, e.At)
			}
			// An agent moving it to pending or resolved tells the
			// requester: that is a response, as the SLA clock counts it.
			if (e.After == string(tickets.StatusPending) || e.After == string(tickets.StatusResolved)) &&
				e.Actor != requester && e.Actor != "bot" && l.firstResponse.IsZero() {
				l.firstResponse = e.At
			}
		case tickets.EventReply, tickets.EventUpdate:
			if e.Actor != requester && l.firstResponse.IsZero() {
				l.firstResponse = e.At
			}
		case tickets.EventEscalated:
			l.escalations = append(l.escalations, e.At)
		case tickets.EventMerged:
			l.merged = true
		case tickets.EventAssigned:
			l.assigns = append(l.assigns, e)
		case tickets.EventRated:
			l.ratedAt = e.At
			l.score = atoi(e.After)
		}
	}
	if l.score == 0 && t.CSAT > 0 {
		// A rating stored without its event (an older desk) still counts,
		// at the ticket's last change.
		l.score, l.ratedAt = t.CSAT, t.UpdatedAt
	}
	l.doneAt, l.isDone = l.done()
	return l
}

func isReopen(e *tickets.Event) bool {
	return e.After == string(tickets.StatusOpen) &&
		(e.Before == string(tickets.StatusResolved) || e.Before == string(tickets.StatusClosed))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// statusAt is the ticket's status just after at: new at creation, then
// each change in turn.
func (l *life) statusAt(at time.Time) tickets.Status {
	s := tickets.StatusNew
	for _, e := range l.changes {
		if e.At.After(at) {
			break
		}
		s = tickets.Status(e.After)
	}
	return s
}

// done is when the ticket was last resolved or closed from active work,
// and false when it is being worked at the end of its history.
func (l *life) done() (time.Time, bool) {
	var at time.Time
	active := true
	for _, e := range l.changes {
		was, now := tickets.Status(e.Before).Active(), tickets.Status(e.After).Active()
		switch {
		case was && !now:
			at, active = e.At, false
		case !was && now:
			active = true
		}
	}
	return at, !active && !at.IsZero()
}

// linked reports whether the ticket was worked through another: merged
// into it, or a report of a major incident.
func (l *life) linked() bool { return l.merged || l.t.LinkedTo != 0 }

// slaStart is when the resolution target of the work that ended at end
// started counting: the opening, or the last reopen before end.
func (l *life) slaStart(end time.Time) time.Time {
	start := l.t.CreatedAt
	for _, r := range l.reopens {
		if r.Before(end) && r.After(start) {
			start = r
		}
	}
	return start
}

// paused is the working time the ticket spent pending between from and
// to, as the SLA clock stops for it. A pending period still running at
// to counts up to to.
func (l *life) paused(cal *tickets.Calendar, from, to time.Time) time.Duration {
	var total time.Duration
	var since time.Time
	for _, e := range l.changes {
		if e.At.After(to) {
			break
		}
		switch {
		case e.After == string(tickets.StatusPending):
			since = e.At
		case e.Before == string(tickets.StatusPending) && !since.IsZero():
			total += cal.Between(maxTime(since, from), e.At)
			since = time.Time{}
		}
	}
	if !since.IsZero() {
		total += cal.Between(maxTime(since, from), to)
	}
	return total
}

// slaElapsed is the working time from start to end with pending time
// taken out: what is compared with an SLA target.
func (l *life) slaElapsed(cal *tickets.Calendar, start, end time.Time) time.Duration {
	return cal.Between(start, end) - l.paused(cal, start, end)
}

// firstAgent is the first person assigned the ticket, "" if none.
func (l *life) firstAgent() string {
	for _, e := range l.assigns {
		if e.After != "" {
			return e.After
		}
	}
	return ""
}

// assigneeAt is who held the ticket just after at.
func (l *life) assigneeAt(at time.Time) string {
	a := ""
	for _, e := range l.assigns {
		if e.At.After(at) {
			break
		}
		a = e.After
	}
	if len(l.assigns) == 0 {
		return l.t.Assignee // claimed before events recorded it
	}
	return a
}

// handling is the time agents actively held the ticket between from and
// to, by agent: while it was assigned and open or escalated — not new and
// unclaimed, not pending on its requester, not resolved.
//
// It is counted in the calendar's working time, as the SLA clock is: a
// ticket held overnight is not handled overnight.
func (l *life) handling(cal *tickets.Calendar, from, to time.Time) map[string]time.Duration {
	type point struct {
		at       time.Time
		status   tickets.Status
		assignee string
		set      int // 1 status, 2 assignee
	}
	var pts []point
	for _, e := range l.changes {
		pts = append(pts, point{at: e.At, status: tickets.Status(e.After), set: 1})
	}
	for _, e := range l.assigns {
		pts = append(pts, point{at: e.At, assignee: e.After, set: 2})
	}
	// Events are in order within each list; merge them by time, status
	// first at equal times (a claim writes both at once).
	sortPoints := func(a, b point) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.set - b.set
	}
	slices.SortStableFunc(pts, sortPoints)
	out := map[string]time.Duration{}
	status, who := tickets.StatusNew, ""
	if len(l.assigns) == 0 {
		who = l.t.Assignee
	}
	cur := l.t.CreatedAt
	flush := func(until time.Time) {
		if (status == tickets.StatusOpen || status == tickets.StatusEscalated) && who != "" {
			if d := cal.Between(maxTime(cur, from), minTime(until, to)); d > 0 {
				out[who] += d
			}
		}
		cur = until
	}
	for _, p := range pts {
		flush(p.at)
		if p.set == 1 {
			status = p.status
		} else {
			who = p.assignee
		}
	}
	flush(to)
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
