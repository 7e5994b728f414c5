package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A first message that says everything gets its ticket after at most one
// question (the KB offer), and nothing it said is asked again.
func TestRichFirstMessageAtMostOneQuestion(t *testing.T) {
	d := newDesk(t)
	out := d.run("ana", `The Kyocera on floor 3 shows "Toner end" since this morning, I already swapped the cartridge. Only my prints fail and I need the contracts printed by 2pm`)
	questions := 0
	for i := 0; i < 3 && !strings.Contains(out, " is open"); i++ {
		questions++
		out = d.run("ana", "no")
	}
	if !strings.Contains(out, "Ticket #1 is open") || questions > 1 {
		t.Fatalf("%d questions before the ticket; last reply:\n%s", questions, out)
	}
	tk := d.ticket(1)
	if tk.Fields[tickets.FieldDevice] != "printer" || tk.Fields[tickets.FieldError] != "Toner end" || tk.Fields[tickets.FieldSteps] == "" ||
		tk.Impact != tickets.Low || tk.Urgency != tickets.High || !strings.Contains(tk.Fields[tickets.FieldStarted], "since this morning") {
		t.Errorf("ticket = %+v", tk)
	}
}

// Several missing facts are asked in one turn, after what was understood,
// and one answer fills every field it gives.
func TestMissingFactsAskedTogether(t *testing.T) {
	d := newDesk(t)
	out := d.run("ben", "Teams on my laptop won't share my screen")
	if strings.Contains(out, "might fix it right away") {
		out = d.run("ben", "no")
	}
	for _, want := range []string{"Got it — device: laptop; app: Teams.", "quick things", "• The exact error message", "• When did it start?", "• What have you tried so far?", "• Who is affected", "• How much does it stop you"} {
		if !strings.Contains(out, want) {
			t.Fatalf("group question lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Which device or app") {
		t.Errorf("asked for the device it was told:\n%s", out)
	}
	out = d.run("ben", "since yesterday's update, reinstalled Teams, my whole team has it and we have a client demo in 30 min")
	if !strings.Contains(out, "Ticket #1 is open") {
		t.Fatalf("no ticket after the one answer:\n%s", out)
	}
	tk := d.ticket(1)
	if tk.Fields[tickets.FieldStarted] == "" || tk.Fields[tickets.FieldSteps] == "" || tk.Impact != tickets.Medium || tk.Urgency != tickets.High || tk.Fields[tickets.FieldError] != "" {
		t.Errorf("ticket = %+v", tk)
	}
}

// An answer of another kind never lands in the field asked: a time given
// to the error question is when it started; a time given to the device
// question is a time too.
func TestWrongTypedAnswerNeverInWrongField(t *testing.T) {
	for _, tc := range []struct {
		name, first, ask, answer string
		check                    func(*intakeState) bool
	}{
		{"time to the error question", "Outlook on my laptop crashes when I open the calendar, I already reinstalled it, only me, I can't work",
			"error", "this morning", func(s *intakeState) bool {
				return s.Fields[tickets.FieldError] == "" && strings.Contains(s.Fields[tickets.FieldStarted], "this morning")
			}},
		{"time to the device question", "it keeps crashing, error 0x80004005, rebooted twice, only me, not urgent",
			"device", "since Monday", func(s *intakeState) bool {
				return s.Fields[tickets.FieldDevice] == "" && s.Fields[tickets.FieldApp] == "" && strings.Contains(s.Fields[tickets.FieldStarted], "Monday")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t)
			out := d.run("cy", tc.first)
			if strings.Contains(out, "might fix it right away") {
				out = d.run("cy", "no")
			}
			s := d.intakeOf("cy")
			if s.Asking != tc.ask && !containsField(s.Group, tc.ask) {
				t.Fatalf("asking %q (group %v), want %q:\n%s", s.Asking, s.Group, tc.ask, out)
			}
			d.run("cy", tc.answer)
			s = d.intakeOf("cy")
			if s == nil {
				s = stateOfTicket(d.ticket(1))
			}
			if !tc.check(s) {
				t.Errorf("after %q: fields %v", tc.answer, s.Fields)
			}
		})
	}
}

func containsField(fs []string, f string) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// stateOfTicket reads a finished report's fields back from its ticket.
func stateOfTicket(tk *tickets.Ticket) *intakeState {
	return &intakeState{Fields: tk.Fields}
}

// intakeOf reads user's report in progress in their DM; nil when none.
func (d *desk) intakeOf(user string) *intakeState {
	d.t.Helper()
	key := conversationKey(tickets.Place{Platform: "test", ChannelID: "dm-" + user}, person(user))
	if _, err := d.store.Conversation(context.Background(), key); err != nil {
		return nil
	}
	s, err := loadIntake(context.Background(), d.store, key)
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

// A message just after the ticket opened, in the same place, is an update
// to it, not a new report; after the window it is a new report.
func TestMessageJustAfterTicketIsAnUpdate(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("dee")
	out := d.run("dee", "my colleague next to me can't connect either")
	if !strings.Contains(out, "looks like your open ticket #1") {
		t.Fatalf("the follow-up started a new report:\n%s", out)
	}
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != tickets.EventComment || !strings.Contains(last.Text, "can't connect either") {
		t.Errorf("last event = %+v, want the follow-up as a comment", last)
	}
	d.run("dee", "cancel")
	d.now = d.now.Add(DefaultUpdateWindow + time.Minute)
	if out := d.run("dee", "the plotter on floor 2 prints stripes"); strings.Contains(out, "looks like your open ticket") {
		t.Errorf("a new problem after the window went to the ticket:\n%s", out)
	}
}

// Within the update window, a message that plainly reports another problem
// (another device or category, or a service request) starts its own
// report: only a word about the same problem is an update.
func TestOtherProblemJustAfterTicketIsNew(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"the printer on floor 2 is jammed", ""},
		{"I also need a second monitor for my desk", "That sounds like a service request"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			d := newDesk(t)
			d.openVPN("eve")
			out := d.run("eve", tc.msg)
			if strings.Contains(out, "looks like your open ticket") {
				t.Fatalf("another problem went to the VPN ticket:\n%s", out)
			}
			if tc.want != "" {
				if !strings.Contains(out, tc.want) {
					t.Errorf("reply lacks %q:\n%s", tc.want, out)
				}
				return
			}
			if out = d.finish("eve", out); !strings.Contains(out, "Ticket #2 is open") {
				t.Errorf("no ticket of its own:\n%s", out)
			}
		})
	}
}

// An answer that misses its question but answers others ("just me, I
// can't work" to "which category?") is kept, and the question is put again
// with a word that it was heard, not "Sorry, I didn't recognise that".
func TestAnswerToAnotherQuestionIsKept(t *testing.T) {
	d := newDesk(t)
	out := d.run("ben", "the expense portal shows a blank page")
	for i := 0; i < 6 && !strings.Contains(out, "Which of these fits best"); i++ {
		switch {
		case strings.Contains(out, "fix it? Reply"):
			out = d.run("ben", "no")
		case strings.Contains(out, "quick things"):
			out = d.run("ben", "no")
		default:
			t.Fatalf("unexpected question before the category:\n%s", out)
		}
	}
	if !strings.Contains(out, "Which of these fits best") {
		t.Skipf("this report is categorised without asking; the test needs one that is not:\n%s", out)
	}
	out = d.run("ben", "just me, I can't work at all")
	if !strings.Contains(out, "Thanks, noted.") || !strings.Contains(out, "Which of these fits best") || strings.Contains(out, "didn't recognise") {
		t.Errorf("reply to facts given for the category question:\n%s", out)
	}
	out = d.finish("ben", d.run("ben", "access"))
	if strings.Contains(out, "Who is affected") || strings.Contains(out, "How much is this stopping you") {
		t.Errorf("impact or urgency asked again after they were given:\n%s", out)
	}
}

// An agent's reply says "just answer here": the requester's next message
// there is the answer, added to the ticket as such, whenever it comes;
// once answered, the window rules apply again.
func TestAnswerToAgentReply(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("fay")
	d.now = d.now.Add(3 * time.Hour) // long after the update window
	d.run("dana", "/claim 1")
	d.run("dana", "/reply 1 Can you bring the laptop to the IT desk at 2pm?")
	out := d.run("fay", "ok, I will")
	if !strings.Contains(out, "I've added your answer to ticket #1") || strings.Contains(out, "back with the team") {
		t.Fatalf("the answer to the agent got:\n%s\nwant it added to ticket #1 as an answer", out)
	}
	d.run("fay", "cancel")
	d.run("dana", "/reply 1 Are you on the office network or at home?")
	out = d.run("fay", "at home, on my own wifi")
	if !strings.Contains(out, "I've added your answer to ticket #1") || strings.Contains(out, "back with the team") {
		t.Fatalf("the answer to the agent got:\n%s\nwant it added to ticket #1 as an answer", out)
	}
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != tickets.EventComment || last.Text != "at home, on my own wifi" {
		t.Errorf("last event = %+v, want the answer as a comment", last)
	}
	if tk := d.ticket(id); tk.Status != tickets.StatusOpen {
		t.Errorf("status = %s, want open", tk.Status)
	}
	d.run("fay", "cancel")
	// Answered: a later message about another problem is a report of its own.
	d.now = d.now.Add(time.Hour)
	if out := d.run("fay", "my monitor flickers"); strings.Contains(out, "ticket #1") {
		t.Errorf("a message after the answer went to the ticket:\n%s", out)
	}
	// An answer may be about another category than the ticket's
	// (network, for an Outlook ticket) without stating a problem.
	d3 := newDesk(t)
	if out := d3.finish("ivy", d3.run("ivy", `Outlook says "Something went wrong 0x80040115" when I send email`)); !strings.Contains(out, "Ticket #1 is open") {
		t.Fatalf("no ticket:\n%s", out)
	}
	d3.now = d3.now.Add(3 * time.Hour)
	d3.run("dana", "/reply 1 Are you on the office network or at home?")
	if out := d3.run("ivy", "at home, on my own wifi"); !strings.Contains(out, "I've added your answer to ticket #1") {
		t.Errorf("the answer about the network got:\n%s", out)
	}
	// An answer may name another app; another problem is not an answer,
	// whether the agent set the ticket pending or not.
	for _, pending := range []bool{false, true} {
		d := newDesk(t)
		d.openVPN("gus")
		d.now = d.now.Add(3 * time.Hour)
		d.run("dana", "/claim 1")
		d.run("dana", "/reply 1 Which Wi-Fi are you on?")
		if pending {
			d.run("dana", "/pending 1")
		}
		if out := d.run("gus", "the guest wifi"); !strings.Contains(out, "I've added your answer to ticket #1") {
			t.Errorf("pending %v: the answer naming the Wi-Fi got:\n%s", pending, out)
		}
		d.run("gus", "cancel")
		d.run("dana", "/reply 1 Thanks. And which VPN profile?")
		if pending {
			d.run("dana", "/pending 1")
		}
		if out := d.run("gus", "the printer on floor 2 is jammed"); strings.Contains(out, "ticket #1") {
			t.Errorf("pending %v: another problem after the reply went to the ticket:\n%s", pending, out)
		}
	}
}

// An answer to one question that also says who is affected or how much
// it stops the person fills those too, as a grouped answer would; a bare
// level answers only the question asked.
func TestAnswerGivesTheOtherLevel(t *testing.T) {
	for _, tc := range []struct {
		answer          string
		impact, urgency tickets.Level
	}{
		{"restarted outlook, just me, slowed down", tickets.Low, tickets.Medium},
		{"only me, and I can't work at all", tickets.Low, tickets.High},
		{"just me", tickets.Low, ""},
		{"low", tickets.Low, ""},
		{"just me, Outlook is slow", tickets.Low, ""}, // about the problem, not how much it stops them
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d := newDesk(t)
			out := d.run("hal", `Outlook on my laptop says "Something went wrong 0x80040115" when I send email since this morning`)
			if strings.Contains(out, "fix it? Reply") {
				out = d.run("hal", "no")
			}
			if !strings.Contains(out, "quick things") {
				t.Fatalf("want the grouped questions first, got:\n%s", out)
			}
			d.run("hal", "nothing tried yet")
			s := d.intakeOf("hal")
			if s.Asking != askImpact {
				t.Fatalf("asking %q, want who is affected", s.Asking)
			}
			out = d.run("hal", tc.answer)
			impact, urgency := tickets.Level(""), tickets.Level("")
			if s := d.intakeOf("hal"); s != nil {
				impact, urgency = s.Impact, s.Urgency
			} else if strings.Contains(out, "Ticket #1 is open") {
				tk := d.ticket(1)
				impact, urgency = tk.Impact, tk.Urgency
			}
			if impact != tc.impact || urgency != tc.urgency {
				t.Errorf("impact %q, urgency %q; want %q, %q; the bot said:\n%s", impact, urgency, tc.impact, tc.urgency, out)
			}
		})
	}
}

// "thanks, works now" after a resolution starts no report and gets no
// question; a message that says more still does.
func TestThanksStartsNoReport(t *testing.T) {
	d := newDesk(t)
	d.openVPN("jo")
	d.now = d.now.Add(time.Hour)
	d.run("dana", "/resolve 1 Switched the VPN client to TCP mode")
	out := d.run("jo", "thanks, works now")
	if !strings.Contains(out, "You're welcome") || d.intakeOf("jo") != nil {
		t.Errorf("thanks got:\n%s\nwant a welcome and no report going", out)
	}
	if out := d.run("jo", "thanks, but my printer on floor 2 is jammed"); strings.Contains(out, "You're welcome") {
		t.Errorf("a report with thanks got:\n%s", out)
	}
}

// Just after a request opened, another request for another catalog item
// is a request of its own; more about the same item is an update.
func TestOtherRequestJustAfterRequestIsNew(t *testing.T) {
	d := newDesk(t)
	d.run("kim", "can you give me edit access to the Finance SharePoint site? need it for the Q4 budget review")
	out := d.run("kim", "my manager")
	if !strings.Contains(out, "Ticket #1 is open") {
		t.Fatalf("no access ticket:\n%s", out)
	}
	out = d.run("kim", "New starter next Monday: Priya Nair, Data Analyst, reporting to Tom Reed. Needs an account")
	if strings.Contains(out, "looks like your open ticket") || !strings.Contains(out, "service request") {
		t.Errorf("a new starter's account after an access request got:\n%s\nwant a request of its own", out)
	}
	d.run("kim", "cancel")
	if out := d.run("kim", "I also need access to the Finance Teams channel"); !strings.Contains(out, "looks like your open ticket #1") {
		t.Errorf("more access right after the access request got:\n%s\nwant it added to #1", out)
	}
}

// The answer to an agent's reply: the person's later messages follow it
// within the update window; a ticket opened after the reply, "new" and
// /new all take a message away from the replied ticket.
func TestAnswerToAgentReplyBoundaries(t *testing.T) {
	t.Run("later messages follow the answer", func(t *testing.T) {
		d := newDesk(t)
		id := d.openVPN("fay")
		d.now = d.now.Add(3 * time.Hour)
		d.run("dana", "/reply 1 Can you try the VPN on your phone hotspot?")
		d.run("fay", "ok, trying now")
		d.now = d.now.Add(2 * time.Minute)
		if out := d.run("fay", "on the hotspot it connects, client version 5.2.1"); !strings.Contains(out, "ticket #1") {
			t.Errorf("the second part of the answer got:\n%s\nwant it added to #1", out)
		}
		evs, err := d.store.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; !strings.Contains(last.Text, "client version 5.2.1") {
			t.Errorf("last event of #1 = %q, want the second part of the answer", last.Text)
		}
	})
	t.Run("a ticket opened since the reply takes the update", func(t *testing.T) {
		d := repliedVPN(t, "fay", "Which VPN profile do you use?")
		d.now = d.now.Add(time.Hour)
		out := d.finish("fay", d.run("fay", "my monitor keeps flickering since yesterday"))
		if !strings.Contains(out, "Ticket #2 is open") {
			t.Fatalf("no second ticket:\n%s", out)
		}
		d.now = d.now.Add(time.Minute)
		if out := d.run("fay", "my colleague Bo has the same problem"); !strings.Contains(out, "ticket #2") {
			t.Errorf("an update just after #2 opened got:\n%s\nwant it added to #2", out)
		}
	})
	t.Run("new takes the message away for good", func(t *testing.T) {
		d := repliedVPN(t, "fay", "Which VPN profile do you use?")
		if out := d.run("fay", "also my keyboard has a sticky key"); !strings.Contains(out, "ticket #1") {
			t.Fatalf("want the message added to #1 first, got:\n%s", out)
		}
		d.finish("fay", d.run("fay", "new"))
		d.now = d.now.Add(2 * time.Hour)
		if out := d.run("fay", "also the mouse wheel sticks"); strings.Contains(out, "ticket #1") {
			t.Errorf("after \"new\" a later message went to #1 again:\n%s", out)
		}
	})
	t.Run("/new is never an answer", func(t *testing.T) {
		d := repliedVPN(t, "fay", "Which VPN profile do you use?")
		d.now = d.now.Add(24 * time.Hour)
		if out := d.run("fay", "/new the keyboard has a sticky key"); strings.Contains(out, "ticket #1") {
			t.Errorf("/new went to #1:\n%s", out)
		}
	})
}

// An answer to another question says nothing of who is affected unless a
// clause of it says only that: "Office", answering "what isn't working?",
// is an app, not the whole office.
func TestAnswerNamingAPlaceIsNoLevel(t *testing.T) {
	d := newDesk(t)
	d.run("lu", "help, it doesn't work")
	d.run("lu", "Office")
	if s := d.intakeOf("lu"); s == nil || s.Impact != "" || s.Urgency != "" {
		t.Errorf("\"Office\" set impact %q, urgency %q", s.Impact, s.Urgency)
	}
}

// "ok it works now, thanks" just after a ticket opened is news for the
// team: it goes on the ticket, and the person is told so.
func TestSortedJustAfterTicketIsNoted(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("mo")
	d.now = d.now.Add(2 * time.Minute)
	out := d.run("mo", "ok it works now, thanks")
	if !strings.Contains(out, "told the team on ticket #1") || d.intakeOf("mo") != nil {
		t.Errorf("\"works now\" just after the ticket got:\n%s", out)
	}
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != tickets.EventComment || last.Text != "ok it works now, thanks" {
		t.Errorf("last event = %+v, want the news as a comment", last)
	}
	// A plain thanks is not news.
	d.now = d.now.Add(time.Minute)
	if out := d.run("mo", "thanks!"); !strings.Contains(out, "You're welcome") {
		t.Errorf("thanks got:\n%s", out)
	}
}
