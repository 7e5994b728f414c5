package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// addTicket stores a ticket directly, for reports over many tickets.
func (d *desk) addTicket(summary string, cat tickets.Category, created time.Time, change func(*tickets.Ticket)) *tickets.Ticket {
	d.t.Helper()
	t := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusNew, Priority: tickets.P3, Category: cat,
		Summary: summary, Requester: person("req"), Origin: tickets.Place{Platform: "test", ChannelID: "dm-req"},
		Tier: 1, CreatedAt: created, UpdatedAt: created, Fields: map[string]string{}}
	t.ResponseDue, t.ResolveDue = tickets.DefaultSLA().Due(nil, t.Priority, created)
	if change != nil {
		change(t)
	}
	if err := d.store.CreateTicket(context.Background(), t); err != nil {
		d.t.Fatal(err)
	}
	return t
}

func TestAgentDigests(t *testing.T) {
	d := newDesk(t)
	at := testNow
	d.addTicket("printer jam", tickets.CategoryPrinting, at.Add(-2*time.Hour), func(t *tickets.Ticket) { t.Assignee = "test:dana"; t.Status = tickets.StatusOpen })
	d.addTicket("VPN down", tickets.CategoryNetwork, at.Add(-80*time.Hour), func(t *tickets.Ticket) { t.Assignee = "test:dana"; t.Status = tickets.StatusOpen })
	d.addTicket("waiting on user", tickets.CategoryEmail, at.Add(-100*time.Hour), func(t *tickets.Ticket) { t.Assignee = "test:dana"; t.Status = tickets.StatusPending })
	d.addTicket("sam's ticket", tickets.CategoryHardware, at, func(t *tickets.Ticket) { t.Assignee = "test:sam"; t.Status = tickets.StatusOpen; t.Tier = 2 })
	n, err := d.bot.agentDigests(context.Background(), at)
	if err != nil || n != 2 {
		t.Fatalf("agentDigests = %d, %v; want 2 (Dana and Sam; the others have nothing open)", n, err)
	}
	if again, _ := d.bot.agentDigests(context.Background(), at); again != 0 {
		t.Errorf("a second run sent %d digests", again)
	}
	got := d.delivered()
	dana := strings.Join(got["@dana"], "\n")
	wantIn(t, "Dana's digest", dana, "Your open tickets (3)", "OVERDUE since", "waiting on the requester")
	if strings.Index(dana, "VPN down") > strings.Index(dana, "printer jam") || strings.Index(dana, "printer jam") > strings.Index(dana, "waiting on user") {
		t.Errorf("digest not ordered by SLA risk:\n%s", dana)
	}
	if len(got["@tom"]) != 0 || len(got["@sam"]) != 1 {
		t.Errorf("digests went to %v", got)
	}
}

func TestManagerSummary(t *testing.T) {
	d := newDesk(t)
	at := testNow
	d.addTicket("new today", tickets.CategoryNetwork, at.Add(-time.Hour), nil)
	d.addTicket("resolved late", tickets.CategoryEmail, at.Add(-100*time.Hour), func(t *tickets.Ticket) {
		t.Status, t.ResolvedAt, t.UpdatedAt, t.CSAT = tickets.StatusResolved, at.Add(-2*time.Hour), at.Add(-2*time.Hour), 4
	})
	d.addTicket("old and open", tickets.CategoryHardware, at.Add(-200*time.Hour), func(t *tickets.Ticket) { t.Status = tickets.StatusOpen; t.Assignee = "test:dana" })
	// Rated four days ago, closed by the desk today: not today's rating.
	d.addTicket("rated last week", tickets.CategoryEmail, at.Add(-150*time.Hour), func(t *tickets.Ticket) {
		t.Status, t.ResolvedAt, t.UpdatedAt, t.CSAT = tickets.StatusClosed, at.Add(-120*time.Hour), at.Add(-time.Hour), 1
	})
	rate := func(id int64, at time.Time, score string) {
		t.Helper()
		if err := d.store.InTx(context.Background(), func(tx tickets.Tx) error {
			return tx.AddEvent(context.Background(), &tickets.Event{TicketID: id, At: at, Actor: "test:req", Kind: tickets.EventRated, After: score})
		}); err != nil {
			t.Fatal(err)
		}
	}
	rate(2, at.Add(-time.Hour), "4")
	rate(4, at.Add(-96*time.Hour), "1")
	if err := d.store.RecordSelfService(context.Background(), &tickets.SelfService{Requester: person("x"), Summary: "wifi", At: at.Add(-3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if ok, err := d.bot.managerSummary(context.Background(), at); !ok || err != nil {
		t.Fatalf("managerSummary = %v, %v", ok, err)
	}
	if ok, _ := d.bot.managerSummary(context.Background(), at); ok {
		t.Error("a second run sent the summary again")
	}
	got := strings.Join(d.delivered()["#triage"], "\n") // no manager channel set: triage
	wantIn(t, "summary", got, "1 new, 1 resolved, 1 self-served with an article, 2 open now",
		"SLA: 2 breached", "Satisfaction: 4.0 / 5 from 1 rating.", "Oldest open: #3 (P3, old and open)", "Dana")
}

func TestKBAudit(t *testing.T) {
	d := newDesk(t)
	at := testNow
	d.addTicket("badge reader beeps red", tickets.CategoryHardware, at.Add(-24*time.Hour), nil)
	d.addTicket("badge reader rejects my card", tickets.CategoryHardware, at.Add(-48*time.Hour), nil)
	d.addTicket("vpn fails", tickets.CategoryNetwork, at.Add(-24*time.Hour), func(t *tickets.Ticket) { t.Fields[tickets.FieldArticles] = "vpn-cannot-connect" })
	d.addTicket("last month", tickets.CategoryEmail, at.Add(-30*24*time.Hour), nil)
	// The article offered six times fixed it once.
	d.bot.articles = d.store
	for i := 0; i < 6; i++ {
		err := d.store.InTx(context.Background(), func(tx tickets.Tx) error {
			d.bot.countOffered(context.Background(), tx, "vpn-cannot-connect")
			if i == 0 {
				d.bot.countFixed(context.Background(), tx, "vpn-cannot-connect")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := d.bot.kbAudit(context.Background(), at); !ok || err != nil {
		t.Fatalf("kbAudit = %v, %v", ok, err)
	}
	got := strings.Join(d.delivered()["#triage"], "\n")
	wantIn(t, "audit", got, "Offered often, rarely fixed it", "(vpn-cannot-connect): offered 6, opened 0, fixed 1",
		"Incidents no article covered", "hardware: 2", "badge reader")
	if strings.Contains(got, "last month") {
		t.Errorf("the audit covers more than a week:\n%s", got)
	}
}

func TestSecuritySpike(t *testing.T) {
	d := newDesk(t)
	at := testNow
	// The usual: one lockout a day for the past week.
	for day := 1; day <= 7; day++ {
		d.addTicket("locked out of my account", tickets.CategoryAccount, at.Add(-time.Duration(day)*24*time.Hour), nil)
	}
	check := func(now time.Time) bool {
		t.Helper()
		ok, err := d.bot.lockoutCheck(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// Four in the last hour: below the minimum of five.
	for i := 0; i < 4; i++ {
		d.addTicket(fmt.Sprintf("password reset needed %d", i), tickets.CategoryAccount, at.Add(-time.Duration(10+i)*time.Minute), nil)
	}
	d.addTicket("printer jam", tickets.CategoryPrinting, at.Add(-5*time.Minute), nil)
	if check(at) {
		t.Fatal("alerted below the minimum")
	}
	// A fifth, and a self-served reset: a spike, alerted once.
	d.addTicket("I'm locked out", tickets.CategoryAccount, at.Add(-3*time.Minute), nil)
	if err := d.store.RecordSelfService(context.Background(), &tickets.SelfService{Requester: person("y"), Category: tickets.CategoryAccount, Summary: "forgot my password", At: at.Add(-2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if !check(at) {
		t.Fatal("no alert on 6 reports in an hour against a usual of about 0.04")
	}
	if check(at.Add(15 * time.Minute)) {
		t.Error("the same spike alerted twice")
	}
	got := strings.Join(d.delivered()["#triage"], "\n")
	wantIn(t, "alert", got, "Security alert: 6 reports of account lockouts or password resets in the last 1h")
	// Quiet for a day, then a new spike alerts again.
	later := at.Add(24 * time.Hour)
	if check(later) {
		t.Error("alerted with no new reports")
	}
	for i := 0; i < 6; i++ {
		d.addTicket("account locked", tickets.CategoryAccount, later.Add(-time.Duration(i+1)*time.Minute), nil)
	}
	if !check(later) {
		t.Error("a new spike a day later was not alerted")
	}
}

// The spike's state is the job's own record: an unreadable one (written by
// hand, or by another version) does not silence an alert, and is replaced.
func TestSecuritySpikeUnreadableState(t *testing.T) {
	d := newDesk(t)
	ctx := context.Background()
	if err := d.store.SetJobState(ctx, spikeStateKey, "not a time", testNow); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		d.addTicket("account locked", tickets.CategoryAccount, testNow.Add(-time.Duration(i+1)*time.Minute), nil)
	}
	if ok, err := d.bot.lockoutCheck(ctx, testNow); err != nil || !ok {
		t.Fatalf("lockoutCheck = %v, %v; want an alert", ok, err)
	}
	state, err := d.store.JobState(ctx, spikeStateKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(time.RFC3339, state); err != nil {
		t.Errorf("state after the alert is %q, not the spike's slot", state)
	}
	if _, err := d.store.Conversation(ctx, spikeStateKey); tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Errorf("the job's state is kept as a conversation too (err %v)", err)
	}
}

// A brand-new desk, or a week with nothing in it, says nothing: no
// summary of zeros, no audit without findings.
func TestEmptyDeskSaysNothing(t *testing.T) {
	d := newDesk(t)
	ctx := context.Background()
	if sent, err := d.bot.managerSummary(ctx, testNow); sent || err != nil {
		t.Errorf("managerSummary on an empty desk = %v, %v", sent, err)
	}
	if sent, err := d.bot.kbAudit(ctx, testNow); sent || err != nil {
		t.Errorf("kbAudit on an empty desk = %v, %v", sent, err)
	}
	if got := d.delivered(); len(got) != 0 {
		t.Errorf("an empty desk posted %v", got)
	}
	d.openVPN("amy")
	if sent, err := d.bot.managerSummary(ctx, testNow); !sent || err != nil {
		t.Errorf("managerSummary with a ticket = %v, %v", sent, err)
	}
	if sent, err := d.bot.kbAudit(ctx, testNow); sent || err != nil {
		t.Errorf("kbAudit with only a covered incident = %v, %v; want nothing to say", sent, err)
	}
	d.addTicket("the badge reader at the door is dead", tickets.CategoryHardware, testNow.Add(-time.Hour), nil)
	if sent, err := d.bot.kbAudit(ctx, testNow); !sent || err != nil {
		t.Errorf("kbAudit with an uncovered incident = %v, %v", sent, err)
	}
}

// The summary runs on working days; Monday's covers the weekend from
// Friday's, so a ticket opened on Saturday is counted once, not never.
func TestManagerSummaryCoversTheWeekend(t *testing.T) {
	d := newDesk(t)
	fri := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	mon := fri.Add(72 * time.Hour)
	d.addTicket("open since Thursday", tickets.CategoryNetwork, fri.Add(-20*time.Hour), nil)
	if ok, err := d.bot.managerSummary(context.Background(), fri); !ok || err != nil {
		t.Fatalf("Friday's summary = %v, %v", ok, err)
	}
	d.delivered()
	d.addTicket("printer on fire", tickets.CategoryPrinting, fri.Add(24*time.Hour), nil) // Saturday
	d.addTicket("mail down", tickets.CategoryEmail, mon.Add(-2*time.Hour), nil)          // Monday
	if ok, err := d.bot.managerSummary(context.Background(), mon); !ok || err != nil {
		t.Fatalf("Monday's summary = %v, %v", ok, err)
	}
	got := strings.Join(d.delivered()["#triage"], "\n")
	wantIn(t, "Monday's summary", got, "Help desk, Fri 20 Nov 17:00 to Mon 23 Nov 17:00: 2 new")
	// Tuesday's is the 24 hours before it again.
	if ok, err := d.bot.managerSummary(context.Background(), mon.Add(24*time.Hour)); !ok || err != nil {
		t.Fatalf("Tuesday's summary = %v, %v", ok, err)
	}
	wantIn(t, "Tuesday's summary", strings.Join(d.delivered()["#triage"], "\n"), "Help desk, 24 hours to Tue 24 Nov 17:00: 0 new")
}

// A deadline more than six days from the digest gives its date: "due Mon
// 15:04" would name the wrong Monday. Within the week the weekday is
// enough.
func TestAgentDigestDates(t *testing.T) {
	d := newDesk(t)
	at := testNow
	far := at.Add(9 * 24 * time.Hour)
	d.addTicket("long task", tickets.CategoryHardware, at, func(t *tickets.Ticket) {
		t.Assignee, t.Status = "test:dana", tickets.StatusOpen
		t.FirstResponseAt, t.ResolveDue = at, far
	})
	near := d.addTicket("soon", tickets.CategoryHardware, at, func(t *tickets.Ticket) { t.Assignee, t.Status = "test:dana", tickets.StatusOpen })
	if _, err := d.bot.agentDigests(context.Background(), at); err != nil {
		t.Fatal(err)
	}
	dana := strings.Join(d.delivered()["@dana"], "\n")
	wantIn(t, "digest", dana, "due "+d.bot.when(far, "Mon 2 Jan 15:04")+" — long task", "due "+d.bot.when(nextDeadline(near), "Mon 15:04")+" — soon")
}
