package kpi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Monday 2 November 2026, in UTC; the calendar works 9 to 17, Monday to
// Friday.
var monday = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// at is day d (0 Monday) of that week at hh:mm.
func at(d, hh, mm int) time.Time {
	return monday.Add(time.Duration(d)*24*time.Hour + time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func officeHours() *tickets.Calendar {
	c := &tickets.Calendar{Location: time.UTC, Start: 9 * time.Hour, End: 17 * time.Hour}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Days[d] = true
	}
	return c
}

// desk builds a history by hand, as the bot would have written it.
type desk struct {
	h  History
	id int64
}

type tk struct {
	d *desk
	r *Record
}

const requester = "console:alice"

func (d *desk) open(when time.Time, p tickets.Priority, cat tickets.Category) *tk {
	d.id++
	t := &tickets.Ticket{ID: d.id, Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: p, Category: cat,
		Summary: "s", Requester: tickets.Person{Platform: "console", UserID: "alice"}, Tier: 1, CreatedAt: when, UpdatedAt: when}
	d.h.Tickets = append(d.h.Tickets, Record{Ticket: t, Events: []*tickets.Event{{TicketID: t.ID, At: when, Actor: requester, Kind: tickets.EventCreated}}})
	return &tk{d: d, r: &d.h.Tickets[len(d.h.Tickets)-1]}
}

func (t *tk) ev(e tickets.Event) *tk {
	e.TicketID = t.r.Ticket.ID
	t.r.Events = append(t.r.Events, &e)
	t.r.Ticket.UpdatedAt = e.At
	return t
}

func (t *tk) status(when time.Time, who string, next tickets.Status) *tk {
	cur := t.r.Ticket.Status
	t.r.Ticket.Status = next
	return t.ev(tickets.Event{At: when, Actor: who, Kind: tickets.EventStatus, Before: string(cur), After: string(next)})
}

func (t *tk) claim(when time.Time, who string) *tk {
	t.ev(tickets.Event{At: when, Actor: who, Kind: tickets.EventAssigned, Before: t.r.Ticket.Assignee, After: who})
	t.r.Ticket.Assignee = who
	return t.status(when, who, tickets.StatusOpen)
}

func (t *tk) reply(when time.Time, who string) *tk {
	return t.ev(tickets.Event{At: when, Actor: who, Kind: tickets.EventReply, Text: "try this"})
}

func (t *tk) resolve(when time.Time, who string) *tk {
	t.r.Ticket.ResolvedAt = when
	return t.status(when, who, tickets.StatusResolved)
}

func (t *tk) rate(when time.Time, score int) *tk {
	t.r.Ticket.CSAT = score
	return t.ev(tickets.Event{At: when, Actor: requester, Kind: tickets.EventRated, After: string(rune('0' + score))})
}

func (t *tk) escalate(when time.Time, who, to string, tier int) *tk {
	t.ev(tickets.Event{At: when, Actor: who, Kind: tickets.EventEscalated, Before: "1", After: string(rune('0' + tier))})
	t.ev(tickets.Event{At: when, Actor: who, Kind: tickets.EventAssigned, Before: t.r.Ticket.Assignee, After: to})
	t.r.Ticket.Assignee, t.r.Ticket.Tier, t.r.Ticket.Team = to, tier, "mail-team"
	return t.status(when, who, tickets.StatusEscalated)
}

func (d *desk) selfServed(when time.Time, cat tickets.Category) {
	d.h.SelfServices = append(d.h.SelfServices, &tickets.SelfService{Requester: tickets.Person{Platform: "console", UserID: "bob"}, Category: cat, ArticleID: "vpn", At: when})
}

var opts = Options{Calendar: officeHours(), SLA: tickets.DefaultSLA()}

var cmpFigures = cmp.Options{cmpopts.IgnoreUnexported(Durations{}), cmpopts.EquateEmpty()}

func durs(vs ...time.Duration) Durations {
	d := Durations{}
	for _, v := range vs {
		d.add(v)
	}
	d.finish()
	return d
}

// TestOneTicket is the plainest history: claimed, answered and resolved by
// one agent within the day.
func TestOneTicket(t *testing.T) {
	var d desk
	d.open(at(0, 9, 0), tickets.P3, "network").claim(at(0, 9, 10), "console:dana").reply(at(0, 9, 20), "console:dana").
		resolve(at(0, 10, 0), "console:dana").rate(at(0, 11, 0), 4)
	got := Compute(&d.h, monday, monday.Add(7*24*time.Hour), None, opts).Total
	want := Figures{Opened: 1, Resolved: 1, FCR: Ratio{1, 1}, FCRTickets: Ratio{1, 1},
		Resolution: durs(time.Hour), FirstResponse: durs(20 * time.Minute), Handling: durs(50 * time.Minute),
		CSAT: Mean{N: 1, Sum: 4}, CSATResponse: Ratio{1, 1}, SLAResponse: Ratio{1, 1}, SLAResolution: Ratio{1, 1},
		Deflection: Ratio{0, 1}, Reopen: Ratio{0, 1}, Escalation: Ratio{0, 1}, Age: durs(), AgeBands: []int{0, 0, 0, 0}}
	if diff := cmp.Diff(want, got, cmpFigures); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
}

// TestPendingAndBusinessHours: a P2 (8 working hours to resolve) opened
// Monday 16:00, pending from 16:40 to Tuesday 12:00, resolved Wednesday
// 10:00. Working time elapsed is 1h Monday + 8h Tuesday + 1h Wednesday =
// 10h, of which 20m Monday and 3h Tuesday were pending: 6h40m counts, the
// target is met (it would be missed without the pause). The agent held it
// 16:30-16:40 and from Tuesday 12:00: 10m + 5h + 1h of working time.
func TestPendingAndBusinessHours(t *testing.T) {
	var d desk
	d.open(at(0, 16, 0), tickets.P2, "email").claim(at(0, 16, 30), "console:dana").
		status(at(0, 16, 40), "console:dana", tickets.StatusPending).
		status(at(1, 12, 0), requester, tickets.StatusOpen).
		resolve(at(2, 10, 0), "console:dana")
	got := Compute(&d.h, monday, monday.Add(7*24*time.Hour), None, opts).Total
	if got.SLAResolution != (Ratio{1, 1}) {
		t.Errorf("resolution SLA = %+v, want met (6h40m of working time against 8h)", got.SLAResolution)
	}
	if got.SLAResponse != (Ratio{1, 1}) || got.FirstResponse.Mean != 40*time.Minute {
		t.Errorf("response = %+v, %v; want met at 40m (the pending question)", got.SLAResponse, got.FirstResponse.Mean)
	}
	if want := 6*time.Hour + 10*time.Minute; got.Handling.Mean != want {
		t.Errorf("handling = %v, want %v", got.Handling.Mean, want)
	}
	if got.FCR != (Ratio{0, 1}) {
		t.Errorf("FCR = %+v, want 0 of 1: it went back to the requester", got.FCR)
	}
	if want := 42 * time.Hour; got.Resolution.Mean != want {
		t.Errorf("time to resolution = %v, want %v (calendar time, opening to resolution)", got.Resolution.Mean, want)
	}

	// Without the pause the same times miss the target.
	var n desk
	n.open(at(0, 16, 0), tickets.P2, "email").claim(at(0, 16, 30), "console:dana").resolve(at(2, 10, 0), "console:dana")
	if got := Compute(&n.h, monday, monday.Add(7*24*time.Hour), None, opts).Total.SLAResolution; got != (Ratio{0, 1}) {
		t.Errorf("resolution SLA without the pause = %+v, want missed (10h against 8h)", got)
	}
	// Round the clock, 42h is far past 8h even with the pause.
	if got := Compute(&d.h, monday, monday.Add(7*24*time.Hour), None, Options{SLA: tickets.DefaultSLA()}).Total.SLAResolution; got != (Ratio{0, 1}) {
		t.Errorf("resolution SLA round the clock = %+v, want missed", got)
	}
}

// TestReopenMergeEscalateSelfService puts the other cases side by side.
func TestReopenMergeEscalateSelfService(t *testing.T) {
	var d desk
	// 1: resolved Monday, reopened Tuesday 9:00, resolved again Tuesday
	// 10:00. Its resolution target (P3, 3 days) starts again at the reopen.
	d.open(at(0, 9, 0), tickets.P3, "network").claim(at(0, 9, 5), "console:dana").resolve(at(0, 9, 30), "console:dana").
		status(at(1, 9, 0), requester, tickets.StatusOpen).resolve(at(1, 10, 0), "console:dana")
	// 2: merged into 1, closed.
	m := d.open(at(0, 9, 2), tickets.P3, "network")
	m.ev(tickets.Event{At: at(0, 9, 6), Actor: "console:dana", Kind: tickets.EventMerged, After: "1"}).status(at(0, 9, 6), "console:dana", tickets.StatusClosed)
	m.r.Ticket.LinkedTo = 1
	// 3: escalated to tier 2 and resolved there by erin.
	d.open(at(0, 10, 0), tickets.P2, "email").claim(at(0, 10, 10), "console:dana").reply(at(0, 10, 15), "console:dana").
		escalate(at(0, 11, 0), "console:dana", "console:erin", 2).resolve(at(0, 12, 0), "console:erin").rate(at(0, 13, 0), 2)
	// 4: still open at the end of the week, never answered: a P4 has 8
	// working hours to respond, and a week has passed.
	d.open(at(1, 9, 0), tickets.P4, "printing")
	// Two reports an article fixed.
	d.selfServed(at(0, 9, 30), "network")
	d.selfServed(at(3, 9, 30), "printing")

	week := monday.Add(7 * 24 * time.Hour)
	got := Compute(&d.h, monday, week, None, opts).Total
	checks := []struct {
		name      string
		got, want any
	}{
		{"opened", got.Opened, 3},
		{"linked", got.Linked, 1},
		{"resolved", got.Resolved, 2},
		{"self-served", got.SelfServed, 2},
		{"FCR (tier 0 + tickets)", got.FCR, Ratio{2, 4}},
		{"FCR tickets", got.FCRTickets, Ratio{0, 2}},
		{"deflection", got.Deflection, Ratio{2, 6}},
		{"reopen", got.Reopen, Ratio{1, 2}},
		{"escalation", got.Escalation, Ratio{1, 3}},
		{"SLA response", got.SLAResponse, Ratio{2, 3}},
		{"SLA resolution", got.SLAResolution, Ratio{2, 2}}, // #1 from its reopen, #3 in 2h of 8h
		{"CSAT", got.CSAT, Mean{N: 1, Sum: 2}},
		{"CSAT response", got.CSATResponse, Ratio{1, 2}},
		{"backlog", got.Backlog, 1},
		{"age bands", got.AgeBands, []int{0, 0, 1, 0}},
	}
	for _, c := range checks {
		if !cmp.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	tiers := Compute(&d.h, monday, week, Tier, opts)
	keys := map[string]Figures{}
	for _, g := range tiers.Groups {
		keys[g.Key] = g.Figures
	}
	if keys["tier 0"].SelfServed != 2 || keys["tier 2"].Resolved != 1 || keys["tier 1"].Resolved != 1 {
		t.Errorf("by tier: %+v", tiers.Groups)
	}
	teams := Compute(&d.h, monday, week, Team, opts)
	byTeam := map[string]Figures{}
	for _, g := range teams.Groups {
		byTeam[g.Key] = g.Figures
	}
	if byTeam["mail-team"].Resolved != 1 || byTeam["mail-team"].Escalation != (Ratio{1, 1}) || byTeam[NoTeam].Opened != 2 || len(teams.Groups) != 2 {
		t.Errorf("by team: %+v", teams.Groups)
	}
	prios := Compute(&d.h, monday, week, Priority, opts)
	var keys2 []string
	for _, g := range prios.Groups {
		keys2 = append(keys2, g.Key)
	}
	if !cmp.Equal(keys2, []string{"P2", "P3", "P4"}) {
		t.Errorf("by priority: groups %v, want P2, P3, P4 (the merged P3 counts as linked)", keys2)
	}
	agents := Compute(&d.h, monday, week, Agent, opts)
	for _, g := range agents.Groups {
		switch g.Key {
		case "console:erin":
			if g.Resolved != 1 || g.Handling.Mean != time.Hour {
				t.Errorf("erin: resolved %d, handling %v; want 1 and 1h", g.Resolved, g.Handling.Mean)
			}
		case "console:dana":
			// #1: 9:05-9:30 and 9:00-10:00 Tuesday; #3: 10:10-11:00.
			if g.Resolved != 1 || g.Handling.N != 2 {
				t.Errorf("dana: resolved %d, handling %+v; want 1 and two tickets", g.Resolved, g.Handling)
			}
		}
	}

	// The same history read day by day: #4 did not exist on Monday; #1
	// counts as resolved on Tuesday, the day of its last resolution, and
	// is in neither day's backlog (it was resolved at both ends).
	mon := Compute(&d.h, monday, at(1, 0, 0), None, opts).Total
	if mon.Opened != 2 || mon.Resolved != 1 || mon.Backlog != 0 {
		t.Errorf("Monday: opened %d, resolved %d, backlog %d; want 2, 1 (#3), 0", mon.Opened, mon.Resolved, mon.Backlog)
	}
	tue := Compute(&d.h, at(1, 0, 0), at(2, 0, 0), None, opts).Total
	if tue.Opened != 1 || tue.Resolved != 1 || tue.Reopen != (Ratio{1, 1}) || tue.Backlog != 1 || tue.SLAResponse != (Ratio{}) {
		t.Errorf("Tuesday: opened %d, resolved %d, reopen %v, backlog %d, SLA response %v; want 1, 1, 1 of 1, 1, none yet late", tue.Opened, tue.Resolved, tue.Reopen, tue.Backlog, tue.SLAResponse)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "24h": 24 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-3d", "thirty days", "0d", "99999d"} {
		if _, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) took it", in)
		}
	}
}

// A period takes in its end instant: a ticket answered and resolved at
// the very moment "up to now" ends counts as answered, resolved and on
// time, and one opened at its start belongs to the period before.
func TestPeriodEnds(t *testing.T) {
	var d desk
	d.open(at(0, 9, 0), tickets.P3, "network").claim(at(0, 9, 0), "console:dana").resolve(at(0, 10, 0), "console:dana")
	d.open(at(0, 10, 0), tickets.P3, "network")
	got := Compute(&d.h, at(0, 9, 0), at(0, 10, 0), None, opts).Total
	if got.Opened != 1 || got.Resolved != 1 || got.FirstResponse.N != 0 {
		t.Errorf("(9:00, 10:00]: opened %d, resolved %d, first responses %d; want 1 (the 10:00 one), 1 (at 10:00) and 0 (the 9:00 one opened before)", got.Opened, got.Resolved, got.FirstResponse.N)
	}
	got = Compute(&d.h, at(0, 8, 0), at(0, 10, 0), None, opts).Total
	if got.Resolved != 1 || got.SLAResponse != (Ratio{1, 1}) || got.FirstResponse.N != 1 {
		t.Errorf("(8:00, 10:00]: resolved %d, response SLA %v, first responses %d; want 1, 1 of 1, 1", got.Resolved, got.SLAResponse, got.FirstResponse.N)
	}
}
