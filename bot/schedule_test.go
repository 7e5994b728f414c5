package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// tick moves the clock to testNow+d, runs the timers and delivers, and
// returns what each recipient got.
func (d *desk) tick(dur time.Duration) map[string][]string {
	d.t.Helper()
	d.now = testNow.Add(dur)
	if _, err := d.bot.runTimers(context.Background()); err != nil {
		d.t.Fatal(err)
	}
	return d.delivered()
}

func count(got map[string][]string, to, text string) int {
	n := 0
	for _, m := range got[to] {
		if strings.Contains(m, text) {
			n++
		}
	}
	return n
}

// SLA warnings and breaches go to the triage channel (and the assignee)
// once each, at the configured share of the target, and catch up after
// downtime.
func TestSLAWarningsAndBreaches(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("amy") // P3: respond within 4h, resolve within 72h
	if tk := d.ticket(id); tk.Priority != tickets.P3 {
		t.Fatalf("priority %s, want P3", tk.Priority)
	}
	d.delivered()
	if got := d.tick(3*time.Hour - time.Minute); len(got) != 0 {
		t.Fatalf("before 75%% of the response target: %v", got)
	}
	got := d.tick(3 * time.Hour)
	if count(got, "#triage", "SLA warning: #1 (P3") != 1 || count(got, "#triage", "first answered by") != 1 {
		t.Errorf("response warning at 3h: %v", got)
	}
	if again := d.tick(3*time.Hour + time.Minute); len(again) != 0 {
		t.Errorf("warning sent again: %v", again)
	}
	got = d.tick(4 * time.Hour)
	if count(got, "#triage", "SLA BREACH: #1 (P3) was due to be first answered") != 1 {
		t.Errorf("response breach at 4h: %v", got)
	}
	// Claimed late, then silent: the resolution warning and breach reach
	// the assignee too. The bot was down from 50h to 80h: both catch up
	// once, late.
	d.run("dana", "/claim 1")
	d.delivered()
	got = d.tick(80 * time.Hour)
	// A change after the alerts does not bring them back.
	d.run("dana", "/note 1 still on it")
	if count(got, "#triage", "SLA warning: #1") != 1 || count(got, "#triage", "SLA BREACH: #1 (P3) was due to be resolved") != 1 ||
		count(got, "@dana", "SLA BREACH") != 1 {
		t.Errorf("after downtime: %v", got)
	}
	if n, _ := d.bot.runTimers(context.Background()); n != 0 {
		t.Errorf("after a note, %d SLA timers fired again", n)
	}
	if again := d.tick(81 * time.Hour); count(again, "#triage", "SLA") != 0 {
		t.Errorf("SLA messages repeated: %v", again)
	}
}

// Business hours: deadlines skip nights and weekends, and the clock stops
// while the ticket is pending.
func TestSLABusinessHoursAndPause(t *testing.T) {
	d := newDesk(t)
	cal := &tickets.Calendar{Location: time.UTC, Start: 9 * time.Hour, End: 17 * time.Hour}
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		cal.Days[wd] = true
	}
	cfg := *d.bot.conf()
	cfg.Calendar = cal
	d.bot.cfg.Store(&cfg)
	// testNow is Wed 18 Nov 14:30. Move to Fri 20 Nov 16:00.
	d.now = time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	id := d.openVPN("amy")
	tk := d.ticket(id)
	if want := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC); !tk.ResponseDue.Equal(want) {
		t.Errorf("response due %v, want Mon 12:00 (1h on Friday, 3h on Monday)", tk.ResponseDue)
	}
	timers, err := d.store.Timers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range timers {
		if tm.Kind == tickets.TimerResponseWarn && !tm.Due.Equal(time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)) {
			t.Errorf("response warning at %v, want Mon 11:00 (75%% of 4 working hours)", tm.Due)
		}
	}
	// Pending from Mon 10:00 to Tue 10:00 is 8 working hours paused.
	d.now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	d.run("dana", "/claim 1")
	resolveBefore := d.ticket(id).ResolveDue
	d.run("dana", "/pending 1 which VPN profile do you use?")
	for _, tm := range mustTimers(t, d, id) {
		if strings.Contains(string(tm.Kind), "resolve") {
			t.Errorf("SLA timer %s set while pending", tm.Kind)
		}
	}
	d.now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	d.run("amy", "the Berlin profile")
	tk = d.ticket(id)
	if tk.Status != tickets.StatusOpen || !tk.PausedAt.IsZero() {
		t.Fatalf("after the answer: %s, paused at %v", tk.Status, tk.PausedAt)
	}
	if got := cal.Between(resolveBefore, tk.ResolveDue); got != 8*time.Hour {
		t.Errorf("resolve due moved by %v of working time, want 8h", got)
	}
}

// A requester who hears nothing for the priority's interval gets a status;
// the next one counts from it.
func TestStatusUpdates(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy") // P3: every 24h
	d.run("dana", "/claim 1")
	d.delivered()
	if got := d.tick(23 * time.Hour); count(got, "@amy", "Status of your ticket") != 0 {
		t.Errorf("status before 24h: %v", got)
	}
	got := d.tick(24 * time.Hour)
	if count(got, "@amy", "Status of your ticket #1") != 1 || count(got, "@amy", "being investigated by Dana") != 1 {
		t.Errorf("status at 24h: %v", got)
	}
	if got := d.tick(47 * time.Hour); count(got, "@amy", "Status") != 0 {
		t.Errorf("second status too early: %v", got)
	}
	if got := d.tick(48 * time.Hour); count(got, "@amy", "Status of your ticket #1") != 1 {
		t.Errorf("second status at 48h: %v", got)
	}
}

// After resolution the requester is asked "still fixed?" with a rating;
// "not fixed" reopens it to its owner; no answer closes it.
func TestFollowUp(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/resolve 1 renewed the VPN certificate")
	d.delivered()
	got := d.tick(24 * time.Hour)
	if count(got, "@amy", "Is #1") != 1 {
		t.Fatalf("follow-up at 24h: %v", got)
	}
	// Fired once: later sweeps find nothing (no re-armed timer, no second
	// record of it).
	for range 2 {
		if n, err := d.bot.runTimers(context.Background()); err != nil || n != 0 {
			t.Fatalf("a later sweep fired %d timers (%v), want 0", n, err)
		}
	}
	evs, _ := d.store.Events(context.Background(), 1)
	notified := 0
	for _, e := range evs {
		if e.Kind == tickets.EventNotified {
			notified++
		}
	}
	if notified != 1 {
		t.Errorf("%d notified events, want 1", notified)
	}
	last := d.sender.Sent()[len(d.sender.Sent())-1]
	var labels []string
	for _, b := range last.Msg.Buttons {
		labels = append(labels, b.Label)
	}
	if strings.Join(labels, ",") != "Still fixed,Not fixed,★,★★,★★★,★★★★,★★★★★" {
		t.Errorf("follow-up buttons %v", labels)
	}
	act := func(user, name, value string) string {
		var out []string
		for _, r := range d.bot.HandleAction(context.Background(), chat.Action{Platform: "test", ChannelID: "dm-" + user, User: person(user), Name: name, Value: value}) {
			out = append(out, r.Text)
		}
		return strings.Join(out, "\n")
	}
	if out := act("ben", chat.ActionRate, "1:5"); !strings.Contains(out, "You have no ticket #1") {
		t.Errorf("someone else rated: %s", out)
	}
	wantIn(t, "rating", act("amy", chat.ActionRate, "1:4"), "Thanks for rating #1 4 out of 5")
	wantIn(t, "not fixed", act("amy", chat.ActionNotFixed, "1"), "#1 is open again with Dana")
	tk := d.ticket(1)
	if tk.Status != tickets.StatusOpen || tk.Assignee != "test:dana" || tk.CSAT != 4 {
		t.Errorf("after not fixed: %s assignee %q csat %d", tk.Status, tk.Assignee, tk.CSAT)
	}
	if got := d.delivered(); count(got, "@dana", "not fixed: reopened") != 1 {
		t.Errorf("owner not told of the reopen: %v", got)
	}
	// Resolved again and left unanswered: closed after 72h.
	d.run("dana", "/resolve 1 replaced the VPN profile")
	d.delivered()
	d.tick(30 * time.Hour) // follow-up asked; nobody answers
	got = d.tick(24*time.Hour + 72*time.Hour)
	if count(got, "@amy", "is closed now") != 1 || d.ticket(1).Status != tickets.StatusClosed {
		t.Errorf("auto-close: %v, status %s", got, d.ticket(1).Status)
	}
}

// A pending ticket's requester is reminded, then the ticket closes.
func TestPendingReminderAndClose(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/pending 1 which VPN profile?")
	d.delivered()
	if got := d.tick(48 * time.Hour); count(got, "@amy", "Reminder: your ticket #1") != 1 {
		t.Errorf("reminder at 48h: %v", got)
	}
	if n, _ := d.bot.runTimers(context.Background()); n != 0 {
		t.Errorf("the reminder fired again: %d timers", n)
	}
	got := d.tick(120 * time.Hour)
	if count(got, "@amy", "closed as we didn't hear back") != 1 || d.ticket(1).Status != tickets.StatusClosed {
		t.Errorf("close at 120h: %v, status %s", got, d.ticket(1).Status)
	}
	if got := d.tick(200 * time.Hour); len(got) != 0 {
		t.Errorf("a closed ticket still sends: %v", got)
	}
}

// Running the sweep twice at once (two replicas) fires each timer once.
func TestTimersFireOnceAcrossRunners(t *testing.T) {
	d := newDesk(t)
	for _, u := range []string{"amy", "ben", "cy"} {
		d.openVPN(u)
	}
	d.delivered()
	d.now = testNow.Add(4 * time.Hour)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			n, err := d.bot.runTimers(context.Background())
			if err != nil {
				t.Error(err)
			}
			done <- n
		}()
	}
	total := <-done + <-done
	if total != 6 { // a response warning and a breach for each of 3 tickets
		t.Errorf("fired %d timers in total, want 6", total)
	}
	got := d.delivered()
	if n := count(got, "#triage", "SLA BREACH"); n != 3 {
		t.Errorf("%d breach messages, want 3", n)
	}
}

func mustTimers(t *testing.T, d *desk, id int64) []*tickets.Timer {
	t.Helper()
	ts, err := d.store.Timers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// berlinDesk is a desk on Berlin business hours, Mon–Fri 09:00–18:00, with
// P3 tickets to be resolved within 8 working hours.
func berlinDesk(t *testing.T) (*desk, func(day, hour int) time.Time) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	d := newDesk(t, func(c *Config, _ *Options) {
		cal := &tickets.Calendar{Location: loc, Start: 9 * time.Hour, End: 18 * time.Hour}
		for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
			cal.Days[wd] = true
		}
		c.Calendar = cal
		c.SLA = tickets.DefaultSLA()
		c.SLA[tickets.P3] = tickets.Target{Response: 4 * time.Hour, Resolution: 8 * time.Hour}
	})
	return d, func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, loc) }
}

// alerts counts the SLA alerts of kind recorded on ticket id.
func alerts(t *testing.T, d *desk, id int64, kind tickets.TimerKind) int {
	t.Helper()
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == tickets.EventAlerted && e.Field == string(kind) {
			n++
		}
	}
	return n
}

// A warning sent before the ticket waited on its requester is not sent
// again when the pause moves its time (opened Friday 10:00, warned at
// 16:00, pending 17:00 until Monday 10:00).
func TestSLAWarningOnceAcrossPending(t *testing.T) {
	d, at := berlinDesk(t)
	sweep := func(now time.Time) {
		t.Helper()
		d.now = now
		if _, err := d.bot.runTimers(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	d.now = at(20, 10)
	id := d.openVPN("amy")
	if tk := d.ticket(id); !tk.ResolveDue.Equal(at(20, 18)) {
		t.Fatalf("resolve due %s, want Friday 18:00", tk.ResolveDue)
	}
	d.run("dana", fmt.Sprintf("/claim %d", id))
	sweep(at(20, 16))
	if n := alerts(t, d, id, tickets.TimerResolveWarn); n != 1 {
		t.Fatalf("%d warnings at 16:00, want 1", n)
	}
	d.now = at(20, 17)
	d.run("dana", fmt.Sprintf("/pending %d which gateway do you use?", id))
	d.now = at(23, 10)
	d.run("amy", "the vpn2 gateway")
	if tk := d.ticket(id); tk.Status != tickets.StatusOpen || !tk.ResolveDue.Equal(at(23, 11)) {
		t.Fatalf("after the pause: %s, due %s, want open and due Monday 11:00", tk.Status, tk.ResolveDue)
	}
	sweep(at(23, 10))
	if n := alerts(t, d, id, tickets.TimerResolveWarn); n != 1 {
		t.Errorf("%d warnings after the pause, want still 1", n)
	}
	sweep(at(23, 11))
	if n := alerts(t, d, id, tickets.TimerResolveBreach); n != 1 {
		t.Errorf("%d breaches at the moved deadline, want 1", n)
	}
	sweep(at(23, 15))
	if w, b := alerts(t, d, id, tickets.TimerResolveWarn), alerts(t, d, id, tickets.TimerResolveBreach); w != 1 || b != 1 {
		t.Errorf("later sweep: %d warnings, %d breaches; want 1 each", w, b)
	}
}

// A new priority keeps the time the ticket spent pending out of its
// targets (P3 → P2 after 9 working hours pending).
func TestPriorityChangeKeepsPendingTime(t *testing.T) {
	d, at := berlinDesk(t)
	d.now = at(23, 9)
	id := d.openVPN("amy")
	d.run("dana", fmt.Sprintf("/claim %d", id))
	d.now = at(23, 10)
	d.run("dana", fmt.Sprintf("/pending %d which gateway do you use?", id))
	d.now = at(24, 10)
	d.run("amy", "the vpn2 gateway")
	d.run("dana", fmt.Sprintf("/escalate %d 2 steps: rebooted -> same | priority: P2 | system: device: laptop; versions: Win 11; error: 809", id))
	tk := d.ticket(id)
	// P2 resolves within 8 working hours of the opening (Monday 17:00),
	// plus the 9 working hours pending: Tuesday 17:00.
	if tk.Priority != tickets.P2 || !tk.ResolveDue.Equal(at(24, 17)) {
		t.Errorf("%s due %s, want P2 due Tuesday 17:00", tk.Priority, tk.ResolveDue.In(at(1, 0).Location()))
	}
}
