package kpi

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Options are what the desk's SLA clock counts with.
type Options struct {
	// Calendar is the desk's business hours; nil is round the clock.
	Calendar *tickets.Calendar
	// SLA gives each priority's targets.
	SLA tickets.SLAPolicy
	// Agent names the agent a person key ("slack:U123") belongs to, so one
	// person's IDs on several platforms make one row; nil keeps the keys.
	Agent func(key string) string
}

// Report is the KPIs of one period, for the whole desk and, when By is
// set, for each group.
type Report struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	By     Dimension `json:"by,omitempty"`
	Total  Figures   `json:"total"`
	Groups []Group   `json:"groups,omitempty"`
}

// Group is the figures of one category, priority, tier, team or agent.
type Group struct {
	Key string `json:"key"`
	Figures
}

// Group names for what has none in a dimension.
const (
	NoCategory = "(none)"
	NoTeam     = "(no team)"
	Unassigned = "(unassigned)"
)

// Compute reads the KPIs of the period (from, to] from h, broken down by
// by (None for the total only). The period takes in what happened at to,
// so one that ends now counts what happened this instant. A ticket is counted in the period it was
// opened for the figures of opening (first response, escalation,
// deflection), in the period of its last resolution for those of its
// resolution, and in the backlog when it was open at to.
func Compute(h *History, from, to time.Time, by Dimension, opt Options) *Report {
	r := &Report{From: from, To: to, By: by}
	groups := map[string]*Figures{}
	group := func(key string) *Figures {
		if by == None {
			return nil
		}
		g := groups[key]
		if g == nil {
			g = &Figures{}
			groups[key] = g
		}
		return g
	}
	// each applies fn to the total and to the ticket's group, if any.
	each := func(g *Figures, fn func(f *Figures)) {
		fn(&r.Total)
		if g != nil {
			fn(g)
		}
	}
	in := func(t time.Time) bool { return t.After(from) && !t.After(to) }

	for _, l := range h.lives() {
		t := l.t
		if t.CreatedAt.After(to) {
			continue
		}
		doneAt, done := l.doneAt, l.isDone
		resolvedIn := done && in(doneAt)
		if !in(t.CreatedAt) && !resolvedIn && done && !doneAt.After(from) {
			continue // finished before the period and never reopened: nothing to count
		}
		// Who the ticket's figures go to: its resolver, or whoever held it
		// at the period's end.
		holder := l.assigneeAt(to)
		if resolvedIn {
			holder = l.assigneeAt(doneAt)
		}
		g := group(key(by, t, agentOf(opt, holder)))
		target := opt.SLA[t.Priority]

		if in(t.CreatedAt) {
			if l.linked() {
				each(g, func(f *Figures) { f.Linked++; f.Deflection.add(false) })
			} else {
				escalated := l.escalatedBy(to)
				each(g, func(f *Figures) { f.Opened++; f.Deflection.add(false); f.Escalation.add(escalated) })
				if fr := l.firstResponse; !fr.IsZero() && !fr.After(to) {
					met := l.slaElapsed(opt.Calendar, t.CreatedAt, fr) <= target.Response
					each(g, func(f *Figures) { f.FirstResponse.add(fr.Sub(t.CreatedAt)); f.SLAResponse.add(met) })
				} else if target.Response > 0 && l.slaElapsed(opt.Calendar, t.CreatedAt, to) > target.Response {
					// Still unanswered and already late: a miss now.
					each(g, func(f *Figures) { f.SLAResponse.add(false) })
				}
			}
		}
		if l.linked() {
			continue
		}
		if resolvedIn {
			met := l.slaElapsed(opt.Calendar, l.slaStart(doneAt), doneAt) <= target.Resolution
			fcr := l.firstContact(doneAt)
			reopened := len(l.reopens) > 0
			var handled time.Duration
			perAgent := l.handling(opt.Calendar, t.CreatedAt, doneAt)
			for _, d := range perAgent {
				handled += d
			}
			rated := l.score > 0
			each(g, func(f *Figures) {
				f.Resolved++
				f.Resolution.add(doneAt.Sub(t.CreatedAt))
				f.SLAResolution.add(met)
				f.FCR.add(fcr)
				f.FCRTickets.add(fcr)
				f.Reopen.add(reopened)
				f.CSATResponse.add(rated)
				if rated {
					f.CSAT.N++
					f.CSAT.Sum += l.score
				}
			})
			r.Total.Handling.add(handled)
			if by == Agent {
				// Each agent's own time, in their row.
				mine := map[string]time.Duration{}
				for who, d := range perAgent {
					mine[orUnassigned(agentOf(opt, who))] += d
				}
				for who, d := range mine {
					group(who).Handling.add(d)
				}
			} else if g != nil {
				g.Handling.add(handled)
			}
		}
		if l.statusAt(to).Active() {
			age := to.Sub(t.CreatedAt)
			band := len(Ages)
			for i, a := range Ages {
				if age < a {
					band = i
					break
				}
			}
			each(g, func(f *Figures) {
				f.Backlog++
				f.Age.add(age)
				if f.AgeBands == nil {
					f.AgeBands = make([]int, len(AgeLabels))
				}
				f.AgeBands[band]++
			})
		}
	}

	for _, s := range h.SelfServices {
		if !in(s.At) {
			continue
		}
		var g *Figures
		switch by {
		case Category:
			g = group(categoryKey(s.Category))
		case Tier:
			g = group("tier 0")
		}
		each(g, func(f *Figures) { f.SelfServed++; f.FCR.add(true); f.Deflection.add(true) })
	}

	r.Total.finish()
	for k, f := range groups {
		f.finish()
		r.Groups = append(r.Groups, Group{Key: k, Figures: *f})
	}
	slices.SortFunc(r.Groups, func(a, b Group) int { return cmp.Compare(a.Key, b.Key) })
	return r
}

// key is the ticket's group in dimension by.
func key(by Dimension, t *tickets.Ticket, holder string) string {
	switch by {
	case Category:
		return categoryKey(t.Category)
	case Priority:
		return t.Priority.String()
	case Tier:
		return fmt.Sprintf("tier %d", max(t.Tier, 1))
	case Team:
		if t.Team == "" {
			return NoTeam
		}
		return t.Team
	case Agent:
		return orUnassigned(holder)
	}
	return ""
}

func categoryKey(c tickets.Category) string {
	if c == "" {
		return NoCategory
	}
	return string(c)
}

func agentOf(opt Options, key string) string {
	if opt.Agent == nil || key == "" {
		return key
	}
	return opt.Agent(key)
}

func orUnassigned(who string) string {
	if who == "" {
		return Unassigned
	}
	return who
}

// escalatedBy reports whether the ticket was escalated at or before at.
func (l *life) escalatedBy(at time.Time) bool {
	for _, e := range l.escalations {
		if !e.After(at) {
			return true
		}
	}
	return false
}

// firstContact reports whether the work that ended at done was first
// contact resolution: resolved by the first agent who took it, never
// escalated, never pending on the requester, never reopened.
func (l *life) firstContact(done time.Time) bool {
	if len(l.escalations) > 0 || len(l.reopens) > 0 {
		return false
	}
	for _, e := range l.changes {
		if e.After == string(tickets.StatusPending) {
			return false
		}
	}
	first := l.firstAgent()
	return first == "" || first == l.assigneeAt(done)
}
