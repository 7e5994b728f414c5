package bot

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// answerUntilOpen answers intake's questions through say until a ticket
// opens: each question by the first of answers whose words it has (the KB
// offer always with "no"), any other with "skip". It returns the last
// reply.
func (d *desk) answerUntilOpen(say func(string) string, out string, answers [][2]string) string {
	d.t.Helper()
	answers = append([][2]string{{"fix it? Reply", "no"}}, answers...)
	for i := 0; i < 12 && !strings.Contains(out, " is open"); i++ {
		answer := "skip"
		for _, qa := range answers {
			if strings.Contains(out, qa[0]) {
				answer = qa[1]
				break
			}
		}
		out = say(answer)
	}
	return out
}

// openP1 files a report that stops everyone's work, answering intake's
// questions, and returns the confirmation.
func (d *desk) openP1(user string) string {
	d.t.Helper()
	say := func(text string) string { return d.run(user, text) }
	out := d.answerUntilOpen(say, say(`Nobody in the office can log in to Outlook since this morning, it says "Something went wrong 80090016"`),
		[][2]string{{"Who is affected", "everyone in the office"}, {"How much is this stopping you", "we can't work at all"}, {"When did this start", "this morning"}, {"What have you tried", "nothing yet"}})
	if !strings.Contains(out, "Priority: P1") {
		d.t.Fatalf("not a P1:\n%s", out)
	}
	return out
}

// An unclaimed P1's SLA warning and breach reach the agents who may take
// it, not only the triage thread; once claimed, its alerts go to its
// assignee only.
func TestUnclaimedP1AlertsReachAgentsOnDuty(t *testing.T) {
	d := newDesk(t)
	d.openP1("amy")
	d.delivered()
	target := tickets.DefaultSLA()[tickets.P1].Response
	got := d.tick(target * 80 / 100)
	for _, agent := range []string{"@dana", "@tom", "@sam", "@mia"} {
		if count(got, agent, "SLA warning: #1 (P1") != 1 || count(got, agent, "Nobody has claimed it: /claim 1") != 1 {
			t.Errorf("%s did not get the unclaimed P1's warning once: %v", agent, got[agent])
		}
	}
	if count(got, "#triage", "SLA warning: #1") != 1 {
		t.Errorf("triage thread: %v", got["#triage"])
	}
	if len(got["@amy"]) != 0 {
		t.Errorf("the requester got the agents' alert: %v", got["@amy"])
	}
	d.run("dana", "/claim 1")
	d.delivered()
	got = d.tick(tickets.DefaultSLA()[tickets.P1].Resolution * 80 / 100)
	if count(got, "@dana", "SLA warning: #1") != 1 || len(got["@tom"]) != 0 {
		t.Errorf("a claimed ticket's warning went to %v, want Dana only", got)
	}
}

// With on_call.notify off, unclaimed alerts stay in the triage thread.
func TestUnclaimedAlertsOff(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) { c.OnCall = OnCall{Notify: NotifyOff} })
	d.openP1("amy")
	d.delivered()
	got := d.tick(tickets.DefaultSLA()[tickets.P1].Response * 80 / 100)
	if len(got["@dana"]) != 0 || count(got, "#triage", "SLA warning") != 1 {
		t.Errorf("with notify off: %v", got)
	}
}

// Outside business hours a new ticket's confirmation says when someone will
// pick it up, and a P1 pages the on-call agent at once.
func TestSupportHours(t *testing.T) {
	d, at := berlinDesk(t)
	d.cfg.OnCall = OnCall{Notify: NotifyDM, Agents: []string{"test:tom"}, Priorities: []tickets.Priority{tickets.P1}, Page: true}
	d.restart()
	d.now = at(27, 20) // Friday 20:00
	out := d.openP1("amy")
	wantIn(t, "P1 at night", out, "The help desk is closed right now; someone will pick this up when it opens, Mon 30 Nov 09:00, and as it stops work, the on-call agent has been paged now.")
	got := d.delivered()
	if count(got, "@tom", "PAGE: P1 #1 opened outside business hours") != 1 || len(got["@dana"]) != 0 {
		t.Errorf("paging: %v", got)
	}
	out = d.finish("bo", d.run("bo", "my printer on floor 2 is jammed"))
	wantIn(t, "P3 at night", out, "someone will pick this up when it opens, Mon 30 Nov 09:00.")
	if strings.Contains(out, "paged") || count(d.delivered(), "@tom", "PAGE") != 0 {
		t.Errorf("a P3 paged the on-call agent:\n%s", out)
	}
	d.now = at(30, 10)
	if out := d.finish("cy", d.run("cy", "my monitor flickers")); strings.Contains(out, "closed right now") {
		t.Errorf("in business hours:\n%s", out)
	}
}

// With on_call.notify: mention, the unclaimed P1's alert in the triage
// thread mentions the agents on duty there, and nobody gets a DM for it.
func TestUnclaimedAlertsMention(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) {
		c.OnCall = OnCall{Notify: NotifyMention, Agents: []string{"test:dana", "test:tom"}, Priorities: []tickets.Priority{tickets.P1}}
	})
	d.openP1("amy")
	d.delivered()
	before := len(d.sender.Sent())
	got := d.tick(tickets.DefaultSLA()[tickets.P1].Response * 80 / 100)
	if len(got["@dana"]) != 0 || len(got["@tom"]) != 0 {
		t.Errorf("mention mode sent DMs: %v", got)
	}
	var mentioned []string
	for _, dl := range d.sender.Sent()[before:] {
		if dl.Msg.To.ChannelID == "triage" && strings.Contains(dl.Msg.Text, "SLA warning: #1") {
			mentioned = append(mentioned, dl.Msg.Mentions...)
		}
	}
	if strings.Join(mentioned, " ") != "dana tom" {
		t.Errorf("the triage alert mentions %v, want dana and tom", mentioned)
	}
}
