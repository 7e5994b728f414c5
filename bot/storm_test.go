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

// Similar reports arriving close together suggest a major incident in
// triage, once, with one button; pressing it declares the first report a
// major incident and links the others, whose reporters are told.
func TestStormSuggestsMajorIncident(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) { c.Storm = StormRule{Reports: 3, Window: 10 * time.Minute} })
	report := func(user string) {
		t.Helper()
		d.finish(user, d.run(user, `Outlook crashes every time I open it, it says "error 0xc0000005"`))
		d.now = d.now.Add(time.Minute)
	}
	suggestions := func() []string {
		var out []string
		for _, m := range d.delivered()["#triage"] {
			if strings.Contains(m, "Possible outage") {
				out = append(out, m)
			}
		}
		return out
	}
	report("amy")
	d.finish("bo", d.run("bo", "my printer on floor 3 is jammed")) // unrelated
	report("cy")
	if s := suggestions(); len(s) != 0 {
		t.Fatalf("two similar reports suggested an outage: %v", s)
	}
	report("di")
	s := suggestions()
	if len(s) != 1 || !strings.Contains(s[0], "3 similar reports in the last 10m, the first #1") {
		t.Fatalf("third similar report: triage got %q, want one suggestion naming #1", s)
	}
	var button *tickets.Button
	for _, dl := range d.sender.Sent() {
		for i, b := range dl.Msg.Buttons {
			if b.Action == chat.ActionMajor {
				button = &dl.Msg.Buttons[i]
			}
		}
	}
	if button == nil || button.Value != "1" || button.Label != "Declare major incident" {
		t.Fatalf("the suggestion's button: %+v", button)
	}
	report("ed")
	if s := suggestions(); len(s) != 0 {
		t.Errorf("a fourth report posted again: %v", s)
	}

	press := func(user string) string {
		var out []string
		for _, r := range d.bot.HandleAction(context.Background(), chat.Action{Platform: "test", ChannelID: "triage", User: person(user), Name: button.Action, Value: button.Value}) {
			out = append(out, r.Text)
		}
		return strings.Join(out, "\n")
	}
	wantIn(t, "tier-1 press", press("dana"), "Only tier 2 and 3 agents and managers")
	wantIn(t, "press", press("sam"), "#1 is now a major incident", "3 open reports from the last 10m were linked to it")
	wantIn(t, "second press", press("sue"), "#1 is already a major incident")
	before := len(d.sender.Sent())
	got := d.delivered()
	declared := false
	for _, dl := range d.sender.Sent()[before:] {
		if dl.Msg.Edit == "storm:1" {
			declared = strings.Contains(dl.Msg.Text, "Sam declared #1 a major incident") && len(dl.Msg.Buttons) == 0
		}
	}
	if !declared {
		t.Error("the storm's suggestion was not edited to say it was declared, without its button")
	}
	for _, user := range []string{"cy", "di", "ed"} {
		if msgs := strings.Join(got["@"+user], "\n"); !strings.Contains(msgs, "is part of a known outage, the major incident #1") {
			t.Errorf("%s was not told their report is linked: %q", user, msgs)
		}
	}
	for _, id := range []int64{3, 4, 5} {
		if tk := d.ticket(id); tk.LinkedTo != 1 {
			t.Errorf("%s is linked to %d, want #1", tk.Ref(), tk.LinkedTo)
		}
	}
	if tk := d.ticket(2); tk.LinkedTo != 0 {
		t.Errorf("the printer report was linked to #%d", tk.LinkedTo)
	}
	if q := d.run("mia", "/queue"); strings.Count(q, "#") != 2 {
		t.Errorf("the queue after declaring should hold #1 and the printer report:\n%s", q)
	}
	// Everyone affected hears the update.
	wantIn(t, "update", d.run("sam", "/update 1 Outlook fix is rolling out"), fmt.Sprintf("Update sent to %d affected people", 4))
}

// A storm counts every report it has had, past the window and past the
// reports one scan reads: each new report counts on from the newest one
// like it (tickets.FieldStormSize), and the suggestion is edited at every
// doubling, with how long the storm has gone on (issue 16: the 5,000th
// report of an outage read 200 rows, and the count stopped at "over 200").
func TestStormCountsOnPastTheWindow(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) { c.Storm = StormRule{Reports: 3, Window: 10 * time.Minute} })
	ctx := context.Background()
	const n = 400 // one every 10 s: 66 minutes, about 60 in any window
	for i := range n {
		err := d.store.InTx(ctx, func(tx tickets.Tx) error {
			m, s := stormReport(i)
			s.Kind = tickets.KindIncident
			_, err := d.bot.openTicket(ctx, tx, m, s)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		d.now = d.now.Add(10 * time.Second)
		d.delivered() // before the next edit merges with this one
	}
	var edits []string
	for _, dl := range d.sender.Sent() {
		if dl.Msg.Edit == "storm:1" {
			edits = append(edits, dl.Msg.Text)
		}
	}
	want := []string{"6 similar reports in the last 10m", "12 similar", "24 similar", "48 similar", "96 similar",
		"192 similar reports in the last 31m", "384 similar reports in the last 1h 3m"}
	if len(edits) != len(want) {
		t.Fatalf("the suggestion was edited %d times, want %d (at each doubling):\n%s", len(edits), len(want), strings.Join(edits, "\n"))
	}
	for i, w := range want {
		wantIn(t, fmt.Sprintf("edit %d", i+1), edits[i], w, "the first #1")
	}
	for _, id := range []int64{3, 200, n} {
		tk := d.ticket(id)
		if tk.Fields[tickets.FieldStorm] != "1" || tk.Fields[tickets.FieldStormSize] != fmt.Sprint(id) {
			t.Errorf("%s: storm %q of size %q, want #1 and %d", tk.Ref(), tk.Fields[tickets.FieldStorm], tk.Fields[tickets.FieldStormSize], id)
		}
	}
}

// stormDesk is a desk whose storms start at 3 similar reports in 10
// minutes, with a helper that files a report as intake would.
func stormDesk(t *testing.T) (*desk, func(chat.Message, *intakeState)) {
	d := newDesk(t, func(c *Config, _ *Options) { c.Storm = StormRule{Reports: 3, Window: 10 * time.Minute} })
	return d, func(m chat.Message, s *intakeState) {
		t.Helper()
		err := d.store.InTx(context.Background(), func(tx tickets.Tx) error {
			s.Kind = tickets.KindIncident
			_, err := d.bot.openTicket(context.Background(), tx, m, s)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		d.delivered()
	}
}

// printerReport is report i of an unrelated problem.
func printerReport(i int) (chat.Message, *intakeState) {
	user := fmt.Sprintf("printer%05d", i)
	m := chat.Message{Platform: "test", ChannelID: "dm-" + user, User: person(user), Text: "the printer on floor 3 is jammed", DM: true}
	s := newIntake()
	s.Category = tickets.CategoryHardware
	s.Fields[tickets.FieldSymptom] = m.Text
	s.Messages = []string{m.Text}
	return m, s
}

// The storm's count carries on behind a burst of other reports that push
// its own out of the newest few (the storm check then reads the window).
func TestStormCountsOnBehindOtherReports(t *testing.T) {
	d, file := stormDesk(t)
	for i := range 40 { // one a minute: 10 in any window
		file(stormReport(i))
		d.now = d.now.Add(time.Minute)
	}
	for i := range stormPeek {
		file(printerReport(i))
	}
	file(stormReport(40))
	if tk := d.ticket(40 + stormPeek + 1); tk.Fields[tickets.FieldStorm] != "1" || tk.Fields[tickets.FieldStormSize] != "41" {
		t.Errorf("the 41st report: storm %q of size %q, want #1 and 41", tk.Fields[tickets.FieldStorm], tk.Fields[tickets.FieldStormSize])
	}
}

// A storm ends when its first report is declared a major incident and
// resolved: a report like it afterwards does not count on from it, and
// the old suggestion is not edited back to offer "Declare #1".
func TestStormEndsWithItsFirstReport(t *testing.T) {
	d, file := stormDesk(t)
	for i := range 11 {
		file(stormReport(i))
		d.now = d.now.Add(5 * time.Second)
	}
	ctx := context.Background()
	err := d.store.InTx(ctx, func(tx tickets.Tx) error {
		first, err := tx.Ticket(ctx, 1)
		if err != nil {
			return err
		}
		first.Major, first.Status = true, tickets.StatusResolved
		if err := tx.UpdateTicket(ctx, first); err != nil {
			return err
		}
		for id := int64(2); id <= 10; id++ {
			r, err := tx.Ticket(ctx, id)
			if err != nil {
				return err
			}
			r.LinkedTo = 1
			if err := tx.UpdateTicket(ctx, r); err != nil {
				return err
			}
		}
		r, err := tx.Ticket(ctx, 11) // claimed, so not linked
		if err != nil {
			return err
		}
		r.Assignee, r.Status = "dana", tickets.StatusOpen
		return tx.UpdateTicket(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := len(d.sender.Sent())
	file(stormReport(11))
	if tk := d.ticket(12); tk.Fields[tickets.FieldStorm] == "1" {
		t.Errorf("#12 joined the storm of #1, a resolved major incident (size %q)", tk.Fields[tickets.FieldStormSize])
	}
	for _, dl := range d.sender.Sent()[before:] {
		if strings.HasPrefix(dl.Msg.Key, "storm:1") {
			t.Errorf("the ended storm's suggestion was posted again: %q", dl.Msg.Text)
		}
	}
}

// A storm dies down when the window no longer holds enough reports like
// it: one report every 9 minutes is not a storm of 3 in 10 minutes.
func TestStormDiesDown(t *testing.T) {
	d, file := stormDesk(t)
	for i := range 20 {
		file(stormReport(i))
		if i < 3 {
			d.now = d.now.Add(time.Minute)
		} else {
			d.now = d.now.Add(9 * time.Minute)
		}
	}
	if tk := d.ticket(3); tk.Fields[tickets.FieldStormSize] != "3" {
		t.Errorf("#3 should start the storm: size %q", tk.Fields[tickets.FieldStormSize])
	}
	if tk := d.ticket(20); tk.Fields[tickets.FieldStorm] != "" {
		t.Errorf("#20, 2.5 h later at one report in 9 minutes, is in storm %q of size %q", tk.Fields[tickets.FieldStorm], tk.Fields[tickets.FieldStormSize])
	}
}

func TestDoublingIn(t *testing.T) {
	for _, c := range []struct{ prev, n, from, want int }{
		{4, 5, 5, 5}, {5, 6, 5, 0}, {9, 10, 5, 10}, {9, 12, 5, 10}, {17, 41, 5, 40}, {0, 2, 5, 0}, {38, 41, 5, 40}, {40, 41, 5, 0},
	} {
		if got := doublingIn(c.prev, c.n, c.from); got != c.want {
			t.Errorf("doublingIn(%d, %d, %d) = %d, want %d", c.prev, c.n, c.from, got, c.want)
		}
	}
}
