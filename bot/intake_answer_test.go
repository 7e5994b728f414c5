package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// repliedVPN is a desk where user's VPN ticket #1 got Dana's reply, three
// hours after it opened.
func repliedVPN(t *testing.T, user, reply string) *desk {
	t.Helper()
	d := newDesk(t)
	d.openVPN(user)
	d.now = d.now.Add(3 * time.Hour)
	d.run("dana", "/reply 1 "+reply)
	return d
}

// answeredAgent has fay answer Dana's reply on her VPN ticket #1, a minute
// ago.
func answeredAgent(d *desk) {
	d.openVPN("fay")
	d.now = d.now.Add(3 * time.Hour)
	d.run("dana", "/reply 1 Can you try the VPN on your phone hotspot?")
	d.run("fay", "ok, trying now")
	d.now = d.now.Add(time.Minute)
}

// A ticket waiting on its requester takes their answer, even while their
// messages have been going to another ticket.
func TestPendingAnswerIsNotFollowedElsewhere(t *testing.T) {
	d := newDesk(t)
	answeredAgent(d)
	d.now = d.now.Add(20 * time.Minute)
	d.finish("fay", d.run("fay", "my printer on floor 2 is jammed"))
	d.now = d.now.Add(30 * time.Minute)
	d.run("dana", "/reply 1 Thanks, can you send the client log?")
	d.run("fay", "sure, attaching it")
	d.now = d.now.Add(time.Minute)
	d.run("dana", "/pending 2 What is the printer's asset tag?")
	d.now = d.now.Add(2 * time.Minute)
	if out := d.run("fay", "PRN-0042"); !strings.Contains(out, "ticket #2") || d.ticket(2).Status != tickets.StatusOpen {
		t.Errorf("answer to #2's pending question:\n%s\n#2 is %s", out, d.ticket(2).Status)
	}
}

// "ok fine, thanks" acknowledges the new ticket; it does not say the
// problem went away.
func TestAcknowledgementIsNotSorted(t *testing.T) {
	for _, ack := range []string{"ok fine, thanks", "all good, thanks", "good thanks"} {
		d := newDesk(t)
		d.openVPN("mo")
		if out := d.run("mo", ack); !strings.Contains(out, "You're welcome") {
			t.Errorf("%q -> %s", ack, out)
		}
	}
}

// Another report linked to the ticket, or merged into it, does not answer
// the agent's reply to its requester.
func TestLinkedReportIsNoAnswer(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("sam", "/major 1 VPN")
	d.now = d.now.Add(time.Hour)
	d.run("sam", "/reply 1 Which VPN profile do you use, Corp-Full or Corp-Split?")
	d.now = d.now.Add(10 * time.Minute)
	d.run("ben", "the vpn is down for me too")
	d.now = d.now.Add(30 * time.Minute)
	if out := d.run("amy", "Corp-Split, on the home wifi"); !strings.Contains(out, "ticket #1") {
		t.Errorf("major: answer not added to #1:\n%s", out)
	}
	d = newDesk(t)
	d.openVPN("amy")
	d.now = d.now.Add(time.Hour)
	d.run("dana", "/reply 1 Which VPN profile do you use, Corp-Full or Corp-Split?")
	d.openVPN("cy")
	d.run("dana", "/merge 2 into 1")
	d.now = d.now.Add(time.Hour)
	if out := d.run("amy", "Corp-Split, on the home wifi"); !strings.Contains(out, "ticket #1") {
		t.Errorf("merge: answer not added to #1:\n%s", out)
	}
}

// After a message was added to a ticket, thanks, a greeting or an emoji
// are answered as ever, not filed on the ticket.
func TestThanksAfterLinkNotFiled(t *testing.T) {
	for msg, want := range map[string]string{"thanks!": "You're welcome", "hi": "Hi fay", "👍": "couldn't find a description"} {
		d := newDesk(t)
		answeredAgent(d)
		out := d.run("fay", msg)
		evs, _ := d.store.Events(context.Background(), 1)
		if !strings.Contains(out, want) || evs[len(evs)-1].Text == msg {
			t.Errorf("%q -> %s (last event of #1 %q)", msg, out, evs[len(evs)-1].Text)
		}
	}
}

// Messages follow an answer within the update window of its first one,
// not of the last: a new problem half an hour into the chat is a report.
func TestFollowWindowDoesNotSlide(t *testing.T) {
	d := newDesk(t)
	answeredAgent(d)
	for _, m := range []string{"on the hotspot it connects", "client version 5.2.1", "anything else you need?"} {
		d.now = d.now.Add(8 * time.Minute)
		d.run("fay", m)
	}
	d.now = d.now.Add(8 * time.Minute)
	if out := d.run("fay", "the badge reader at the front door rejects my card"); strings.Contains(out, "ticket #1") {
		t.Errorf("new problem filed on #1:\n%s", out)
	}
}

// answeringNewerReply is a desk where fay's printer ticket #1 has a reply
// she never answered and her VPN ticket #2 a reply a day later, which she
// has just started to answer ("ok, trying now").
func answeringNewerReply(t *testing.T) *desk {
	t.Helper()
	d := newDesk(t)
	d.finish("fay", d.run("fay", "my printer on floor 2 is jammed"))
	d.now = d.now.Add(time.Hour)
	d.openVPN("fay")
	d.now = d.now.Add(time.Hour)
	d.run("dana", "/reply 1 Is the printer still jammed?")
	d.now = d.now.Add(24 * time.Hour)
	d.run("dana", "/reply 2 Can you try the VPN on your phone hotspot?")
	d.run("fay", "ok, trying now")
	return d
}

// lastEventText is the text of the last event of ticket id.
func lastEventText(t *testing.T, d *desk, id int64) string {
	t.Helper()
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1].Text
}

// A third review's cases: an old unanswered reply on another ticket does
// not take over a run of answers; "it works now" in a run is told to the
// team; an answer may name another device; a linked account's comment and
// a message moved away before a merge both answer the reply.
func TestAnswerRunEdges(t *testing.T) {
	t.Run("an older reply elsewhere does not take the run", func(t *testing.T) {
		d := answeringNewerReply(t)
		d.now = d.now.Add(3 * time.Minute)
		d.run("fay", "on the hotspot it connects")
		if got := lastEventText(t, d, 2); got != "on the hotspot it connects" {
			t.Errorf("last event of #2 = %q, want the second answer", got)
		}
	})
	t.Run("works now in a run is told to the team", func(t *testing.T) {
		d := newDesk(t)
		answeredAgent(d)
		d.now = d.now.Add(3 * time.Minute)
		if out := d.run("fay", "it works now, thanks!"); !strings.Contains(out, "Glad it works now") {
			t.Errorf("got:\n%s", out)
		}
		if got := lastEventText(t, d, 1); got != "it works now, thanks!" {
			t.Errorf("last event of #1 = %q", got)
		}
	})
	t.Run("an answer naming another device", func(t *testing.T) {
		d := repliedVPN(t, "fay", "Can you try connecting from your phone instead?")
		d.run("fay", "ok, trying now")
		d.now = d.now.Add(3 * time.Minute)
		d.run("fay", "on my phone it connects fine")
		if got := lastEventText(t, d, 1); got != "on my phone it connects fine" {
			t.Errorf("last event of #1 = %q", got)
		}
	})
	t.Run("a linked account's comment answers", func(t *testing.T) {
		d := newDesk(t)
		d.openVPN("fay")
		d.run("ada", "/link test:fay test:fay2")
		d.now = d.now.Add(time.Hour)
		d.run("dana", "/reply 1 Can you try the VPN on your phone hotspot?")
		d.now = d.now.Add(time.Hour)
		d.run("dana", "/resolve 1 reset the VPN profile")
		d.now = d.now.Add(time.Hour)
		d.run("fay2", "/reopen 1 still broken, the hotspot made no difference")
		d.now = d.now.Add(2 * time.Hour)
		if out := d.run("fay", "my wifi keeps dropping every few minutes"); strings.Contains(out, "ticket #1") {
			t.Errorf("a new problem after the answer went to #1:\n%s", out)
		}
	})
	t.Run("a merge does not hide a moved answer", func(t *testing.T) {
		d := newDesk(t)
		d.openVPN("amy")
		d.now = d.now.Add(time.Hour)
		d.run("dana", "/reply 1 Which VPN profile do you use?")
		d.now = d.now.Add(time.Minute)
		d.run("amy", "Corp-Split")
		d.finish("amy", d.run("amy", "new"))
		d.run("dana", "/resolve 2 done")
		d.openVPN("cy")
		d.run("dana", "/merge 3 into 1")
		d.now = d.now.Add(time.Hour)
		if out := d.run("amy", "the wifi in meeting room 4 keeps dropping"); strings.Contains(out, "ticket #1") {
			t.Errorf("a new problem went to #1:\n%s", out)
		}
	})
}

// A fourth review's cases.
func TestAnswerRunEdgesFourth(t *testing.T) {
	t.Run("works now long after the acknowledgement", func(t *testing.T) {
		d := repliedVPN(t, "fay", "Please restart the laptop and try the VPN again")
		d.run("fay", "ok, restarting now")
		d.now = d.now.Add(25 * time.Minute)
		if out := d.run("fay", "it works now, thanks!"); !strings.Contains(out, "told the team on ticket #1") {
			t.Errorf("got:\n%s", out)
		}
		if got := lastEventText(t, d, 1); got != "it works now, thanks!" {
			t.Errorf("last event of #1 = %q", got)
		}
	})
	t.Run("an older reply stays passed over after the run", func(t *testing.T) {
		d := answeringNewerReply(t)
		d.now = d.now.Add(15 * time.Minute)
		if out := d.run("fay", "it dropped again after a few minutes"); strings.Contains(out, "ticket #1") {
			t.Errorf("went to the printer ticket:\n%s", out)
		}
	})
	t.Run("of two pending tickets, the one asked last", func(t *testing.T) {
		d := newDesk(t)
		d.openVPN("fay")
		d.now = d.now.Add(time.Hour)
		d.finish("fay", d.run("fay", "my printer on floor 2 is jammed"))
		d.now = d.now.Add(time.Hour)
		d.run("dana", "/pending 2 What is the printer's asset tag?")
		d.now = d.now.Add(time.Hour)
		d.run("dana", "/pending 1 Which VPN profile do you use, Corp-Full or Corp-Split?")
		d.now = d.now.Add(time.Minute)
		if out := d.run("fay", "Corp-Split"); !strings.Contains(out, "ticket #1") {
			t.Errorf("got:\n%s", out)
		}
	})
	t.Run("a contentless follow-up long after the answer", func(t *testing.T) {
		for _, msg := range []string{"nope, still the same", "any news?"} {
			d := repliedVPN(t, "fay", "Please restart the laptop and try the VPN again")
			d.run("fay", "ok, restarting now")
			d.now = d.now.Add(25 * time.Minute)
			if out := d.run("fay", msg); !strings.Contains(out, "ticket #1") {
				t.Errorf("%q got:\n%s", msg, out)
			}
		}
		// One that names a problem of its own is a report.
		d := repliedVPN(t, "fay", "Please restart the laptop and try the VPN again")
		d.run("fay", "ok, restarting now")
		d.now = d.now.Add(25 * time.Minute)
		if out := d.run("fay", "my monitor keeps flickering"); strings.Contains(out, "ticket #1") {
			t.Errorf("a new problem went to #1:\n%s", out)
		}
	})
	t.Run("cancel after a message was added says it stays", func(t *testing.T) {
		d := newDesk(t)
		answeredAgent(d)
		if out := d.run("fay", "cancel"); strings.Contains(out, "nothing was filed") || !strings.Contains(out, "stays on ticket #1") {
			t.Errorf("got:\n%s", out)
		}
	})
}
