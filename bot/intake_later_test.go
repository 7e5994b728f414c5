package bot

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A second problem brought up while the desk asks about the first is kept
// aside and reported on its own once the first ticket is filed: it never
// lands on the first ticket, in its fields or as its answer.
func TestOtherProblemWhileAnswering(t *testing.T) {
	for _, tc := range []struct {
		name, report, other, wantSecond string
	}{
		// Said instead of the answers asked together.
		{"group, another category", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update",
			"oh and also the printer on floor 2 is jammed", "the printer on floor 2 is jammed"},
		// "slow" would have answered the urgency question.
		{"same category, another app", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update",
			"also outlook is really slow", "outlook is really slow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t)
			out := d.run("alice", tc.report)
			if strings.Contains(out, "fix it? Reply") {
				out = d.run("alice", "no")
			}
			out = d.run("alice", tc.other)
			wantIn(t, "reply to the other problem", out, "separate problem", "as soon as this report is done")
			out = d.run("alice", "nothing yet, just me, it slows me down")
			wantIn(t, "first ticket", out, "Ticket #1 is open", "Now the other problem you mentioned: “"+tc.wantSecond)
			if strings.Contains(out, "“oh") || strings.Contains(out, "“also") {
				t.Errorf("the other problem is quoted with its lead words:\n%s", out)
			}
			first := d.ticket(1)
			if first.Urgency != tickets.Medium {
				t.Errorf("first ticket's urgency = %q, want medium from its own answer", first.Urgency)
			}
			if dev := first.Fields[tickets.FieldDevice]; dev != "" {
				t.Errorf("first ticket got the other problem's device %q", dev)
			}
			for k, v := range first.Fields {
				if strings.Contains(v, tc.wantSecond) {
					t.Errorf("first ticket's %s holds the other problem: %q", k, v)
				}
			}
			i := strings.Index(out, "Now the other")
			if i < 0 {
				t.Fatalf("the other problem was not taken up")
			}
			out = d.finish("alice", out[i:]) // past "Ticket #1 is open"
			wantIn(t, "second ticket", out, "Ticket #2 is open", tc.wantSecond)
		})
	}
}

// Said instead of the one answer asked, another problem is not taken as
// the answer, nor "noted" on the first report.
func TestOtherProblemInsteadOfAnswer(t *testing.T) {
	d := newDesk(t)
	out := d.run("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	if strings.Contains(out, "fix it? Reply") {
		out = d.run("alice", "no")
	}
	out = d.run("alice", "nothing yet, just me")
	if !strings.Contains(out, "How much is this stopping you") {
		t.Fatalf("want the urgency asked on its own, got:\n%s", out)
	}
	out = d.run("alice", "my monitor keeps flickering")
	wantIn(t, "another problem instead of the urgency", out, "separate problem", "How much is this stopping you")
	if strings.Contains(out, "Thanks, noted") {
		t.Errorf("another problem was noted on this report:\n%s", out)
	}
	// An answer that names another app is still the answer.
	out = d.run("alice", "can't work at all, excel is all I use")
	wantIn(t, "the answer", out, "Ticket #1 is open", "Now the other problem you mentioned: “my monitor keeps flickering”")
	if d.ticket(1).Urgency != tickets.High {
		t.Errorf("urgency = %q, want high", d.ticket(1).Urgency)
	}
}

// Additions about the same problem are answers, as before.
func TestAdditionAboutTheSameProblem(t *testing.T) {
	d := newDesk(t)
	out := d.run("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	if strings.Contains(out, "fix it? Reply") {
		out = d.run("alice", "no")
	}
	for _, msg := range []string{"also it happens in word", "btw nothing yet, just me, can't work"} {
		out = d.run("alice", msg)
		if strings.Contains(out, "separate problem") {
			t.Errorf("%q read as another problem:\n%s", msg, out)
		}
	}
}

// A problem kept aside survives "start over", and a cancelled first report
// still lets the other one be reported.
func TestOtherProblemAfterCancel(t *testing.T) {
	d := newDesk(t)
	out := d.run("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	if strings.Contains(out, "fix it? Reply") {
		d.run("alice", "no")
	}
	d.run("alice", "also the printer on floor 2 is jammed")
	out = d.run("alice", "cancel")
	wantIn(t, "cancel", out, "Cancelled", "Now the other problem you mentioned: “the printer on floor 2 is jammed”")
	out = d.finish("alice", out)
	wantIn(t, "second report", out, "Ticket #1 is open", "printer")
}
