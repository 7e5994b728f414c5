package bot

import (
	"slices"
	"strings"
	"testing"
	"time"

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
			out := d.pastOffer("alice", tc.report)
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
	out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
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
	out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
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
	out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	d.run("alice", "also the printer on floor 2 is jammed")
	out = d.run("alice", "cancel")
	wantIn(t, "cancel", out, "Cancelled", "Now the other problem you mentioned: “the printer on floor 2 is jammed”")
	out = d.finish("alice", out)
	wantIn(t, "second report", out, "Ticket #1 is open", "printer")
}

// Messages about the problem already reported are its answers, whatever
// device they name: "either", "too", an error message, the same symptom.
func TestSameProblemNotKeptAside(t *testing.T) {
	for _, tc := range []struct{ report, msg string }{
		{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "my colleague's laptop can't connect either"},
		{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "my phone can't connect either"},
		{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "my desktop at home can't connect"},
		{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "also my phone can't connect either"},
		{"excel keeps freezing when I open the budget spreadsheet, since yesterday's update", "also the error says 'Microsoft Office has stopped working'"},
		{"excel keeps freezing when I open the budget spreadsheet, since yesterday's update", "and it crashes outlook too when it freezes"},
		{"outlook keeps crashing on my laptop when I open attachments", "also it crashes on my desktop too"},
		{`my laptop can't connect to the VPN since this morning, it says "error 809". I already rebooted`, "also my phone can't connect too"},
	} {
		d := newDesk(t)
		out := d.pastOffer("alice", tc.report)
		if strings.Contains(out, "I can't work") || !strings.Contains(out, "?") {
			t.Fatalf("%q: want a question, got:\n%s", tc.report, out)
		}
		if out = d.run("alice", tc.msg); strings.Contains(out, "separate problem") {
			t.Errorf("%q after %q was kept aside as another problem:\n%s", tc.msg, tc.report, out)
		}
	}
}

// The problem kept aside is reported on its own: not added to the ticket
// the first report just opened, though they share a device and a word.
func TestLaterReportNotAddedToFirstTicket(t *testing.T) {
	d := newDesk(t)
	out := d.pastOffer("alice", "outlook keeps crashing on my laptop when I open attachments")
	wantIn(t, "kept aside", d.run("alice", "also teams keeps crashing on my laptop"), "separate problem")
	// "too" after another thing, not after "it", is another problem too.
	wantIn(t, "second kept aside", d.run("alice", "P.S. my keyboard is broken too"), "separate problem")
	out = d.run("alice", "nothing yet, just me, can't work")
	wantIn(t, "taken up", out, "Ticket #1 is open", "Now the other problem you mentioned: “teams keeps crashing on my laptop”")
	if strings.Contains(out, "open ticket #1") || strings.Contains(out, "added your message") {
		t.Fatalf("the other problem went on ticket #1:\n%s", out)
	}
	out = d.finish("alice", out[strings.Index(out, "Now the other"):])
	wantIn(t, "second ticket", out, "Ticket #2 is open", "teams", "Now the other problem you mentioned: “my keyboard is broken")
	out = d.finish("alice", out[strings.Index(out, "Now the other"):])
	wantIn(t, "third ticket", out, "Ticket #3 is open", "keyboard")
}

// A report added to a ticket already open, "start over" and /new keep the
// problems kept aside.
func TestLaterKeptThroughDuplicateAndNew(t *testing.T) {
	t.Run("duplicate", func(t *testing.T) {
		d := newDesk(t)
		d.finish("alice", d.run("alice", "outlook keeps crashing when I open attachments"))
		d.now = d.now.Add(30 * time.Minute) // past the update window
		out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
		wantIn(t, "kept aside", d.run("alice", "also the printer on floor 2 is jammed"), "separate problem")
		d.run("alice", "start over")
		out = d.run("alice", "outlook keeps crashing when I open attachments")
		wantIn(t, "linked, then the other problem", out, "ticket #1", "Now the other problem you mentioned: “the printer on floor 2 is jammed”")
		out = d.finish("alice", out[strings.Index(out, "Now the other"):])
		wantIn(t, "printer ticket", out, "Ticket #2 is open", "printer")
	})
	t.Run("/new", func(t *testing.T) {
		d := newDesk(t)
		d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
		wantIn(t, "kept aside", d.run("alice", "also the printer on floor 2 is jammed"), "separate problem")
		out := d.finish("alice", d.run("alice", "/new outlook keeps crashing when I open attachments"))
		wantIn(t, "the /new report, then the other problem", out, "Ticket #1 is open", "Now the other problem you mentioned: “the printer on floor 2 is jammed”")
	})
}

// Said instead of the answers asked together, another problem is kept
// aside even without "also": it answers none of them.
func TestOtherProblemInsteadOfGroupAnswers(t *testing.T) {
	d := newDesk(t)
	out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	if !strings.Contains(out, "quick things") {
		t.Fatalf("want questions asked together, got:\n%s", out)
	}
	wantIn(t, "kept aside", d.run("alice", "my monitor keeps flickering"), "separate problem", "quick things")
	out = d.run("alice", "nothing yet, just me, it slows me down")
	wantIn(t, "taken up", out, "Ticket #1 is open", "Now the other problem you mentioned: “my monitor keeps flickering”")
	if dev := d.ticket(1).Fields[tickets.FieldDevice]; dev != "" {
		t.Errorf("first ticket got the monitor: device %q", dev)
	}
}

// A secret in the problem kept aside is masked there, and marks its
// ticket, not the first one.
func TestSecretInLaterReport(t *testing.T) {
	d := newDesk(t)
	out := d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	out = d.run("alice", "also outlook won't log in, my password is Hunter2!xyz")
	wantIn(t, "kept aside", out, "separate problem")
	out = d.run("alice", "nothing yet, just me, it slows me down")
	if strings.Contains(out, "Hunter2") {
		t.Errorf("the secret is shown:\n%s", out)
	}
	if v := d.ticket(1).Fields[tickets.FieldSecretMsg]; v != "" {
		t.Errorf("the first ticket is marked as holding a secret: %q", v)
	}
	d.finish("alice", out[strings.Index(out, "Now the other"):])
	if v := d.ticket(2).Fields[tickets.FieldSecretMsg]; v == "" {
		t.Errorf("the ticket of the message with the password is not marked")
	}
}

// With the transcript full, keeping another problem aside does not drop
// the last answer that was kept.
func TestLaterWithFullTranscript(t *testing.T) {
	d := newDesk(t)
	out := d.run("ben", "the expense portal shows a blank page")
	for i := 0; i < 6 && !strings.Contains(out, "Which of these fits best"); i++ {
		out = d.run("ben", "no")
	}
	if !strings.Contains(out, "Which of these fits best") {
		t.Skipf("this report is categorised without asking; the test needs one that is not:\n%s", out)
	}
	var s *intakeState
	for i := 0; ; i++ {
		s = d.intakeOf("ben")
		if len(s.Messages) >= maxKeptMessages-1 {
			break
		}
		d.run("ben", "hmm "+strings.Repeat("x", i%5+1))
	}
	d.run("ben", "the important part: it only happens with macros enabled")
	wantIn(t, "kept aside", d.run("ben", "my monitor keeps flickering"), "separate problem")
	if s = d.intakeOf("ben"); !slices.Contains(s.Messages, "the important part: it only happens with macros enabled") {
		t.Errorf("the last answer kept was dropped: %q", s.Messages)
	}
}

// pastOffer reports text as user and, when articles are offered, answers
// "no": the reply is the desk's first question.
func (d *desk) pastOffer(user, text string) string {
	d.t.Helper()
	out := d.run(user, text)
	if strings.Contains(out, "fix it? Reply") {
		out = d.run(user, "no")
	}
	return out
}

// Past three problems kept aside, the next is let go with a word to say
// it again later, and the report goes on.
func TestLaterKeepsThree(t *testing.T) {
	d := newDesk(t)
	d.pastOffer("alice", "excel keeps freezing when I open the budget spreadsheet, since yesterday's update")
	for _, msg := range []string{"also the printer on floor 2 is jammed", "also my monitor keeps flickering", "also my headset crackles"} {
		wantIn(t, msg, d.run("alice", msg), "separate problem")
	}
	out := d.run("alice", "also my webcam shows a black image, password is Hunter2!xyz")
	wantIn(t, "the fourth", out, "yet another problem", "tell me about it again")
	if s := d.intakeOf("alice"); len(s.Later) != maxLater || s.Secret {
		t.Errorf("kept %d, secret %v; want %d kept and no secret on this report", len(s.Later), s.Secret, maxLater)
	}
}
