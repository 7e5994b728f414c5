package slack

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// offerUpdate waits for the chat.update of KB offer o after from and
// returns the offer as Slack now shows it.
func (r *rig) offerUpdate(from int, o slackfake.Post) slackfake.Post {
	r.t.Helper()
	r.fake.waitPost("the KB offer's update", from, func(p slackfake.Post) bool {
		return p.Method == "chat.update" && p.Channel == o.Channel && p.TS == o.TS
	})
	return r.fake.message(o.Channel, o.TS)
}

// checkAnswered asserts offer o lost its buttons for the line choice and
// kept its text.
func checkAnswered(t *testing.T, now, o slackfake.Post, choice string) {
	t.Helper()
	for _, action := range []string{"kb_fixed", "kb_not_fixed"} {
		if _, _, ok := now.Button(action); ok {
			t.Errorf("the answered offer still has its %s button: %q", action, now.Body())
		}
	}
	first, _, _ := strings.Cut(o.Body(), "\n")
	mustContain(t, now.Body(), first, choice)
	if now.Edits != 1 {
		t.Errorf("offer edited %d times, want once", now.Edits)
	}
}

func TestKBOfferAnsweredLosesItsButtons(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})

	// "This fixed it": the offer says so instead of offering the buttons.
	got := r.dm(bobID, "my outlook keeps asking for my password")
	offer := got[len(got)-1]
	from := r.fake.postCount()
	r.press(bobID, offer, "kb_fixed")
	mustContain(t, bodies(r.answers(from, "D"+bobID, "")), "glad that fixed it")
	checkAnswered(t, r.offerUpdate(from, offer), offer, "✓ This fixed it")

	// A stale client presses the other button of the old offer: a polite
	// word, and no new report started from "no".
	from = r.fake.postCount()
	r.press(bobID, offer, "kb_not_fixed")
	mustContain(t, bodies(r.answers(from, "D"+bobID, "")), "already answered that suggestion")
	r.settle()
	for _, p := range r.fake.Posts(from) {
		if strings.Contains(p.Body(), "Which device") || strings.Contains(p.Body(), "description of a problem") {
			t.Errorf("a second press on an answered offer reached the intake: %q", p.Body())
		}
	}
	if m := r.fake.message(offer.Channel, offer.TS); m.Edits != 1 {
		t.Errorf("offer edited %d times, want once", m.Edits)
	}
}

func TestKBOfferStillBrokenThenPressedAgain(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	got := r.dm(aliceID, vpnReport)
	offer := got[len(got)-1]
	from := r.fake.postCount()
	r.press(aliceID, offer, "kb_not_fixed")
	mustContain(t, bodies(r.answers(from, "D"+aliceID, "")), "Who is affected")
	checkAnswered(t, r.offerUpdate(from, offer), offer, "Still broken — opening a ticket")

	// Pressed again, either button: the intake's question is not answered
	// with "yes" or "no" behind the person's back.
	for _, action := range []string{"kb_fixed", "kb_not_fixed"} {
		from = r.fake.postCount()
		r.press(aliceID, offer, action)
		mustContain(t, bodies(r.answers(from, "D"+aliceID, "")), "already answered that suggestion")
	}
	mustContain(t, bodies(r.dm(aliceID, "just me")), "How much is this stopping you")
	done := r.dm(aliceID, "I can't work at all")
	mustContain(t, bodies(done), "Ticket #1 is open")
	if tk := r.ticket(1); tk.Impact != tickets.Low {
		t.Errorf("impact = %q, want alice's own answer (just me)", tk.Impact)
	}
}

func TestKBOfferInHelpChannelThread(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	got, thread := r.inThread(bobID, vpnReport, "")
	offer := got[len(got)-1]
	from := r.fake.postCount()
	r.press(bobID, offer, "kb_not_fixed")
	mustContain(t, bodies(r.answers(from, helpChannel, thread)), "Who is affected")
	now := r.offerUpdate(from, offer)
	checkAnswered(t, now, offer, "Still broken — opening a ticket")
	if now.ThreadTS != thread {
		t.Errorf("the offer moved out of its thread: %q", now.ThreadTS)
	}
	// In a channel the second press is answered to the presser alone.
	from = r.fake.postCount()
	r.press(bobID, offer, "kb_fixed")
	p := r.fake.waitPost("the answer to a second press", from, func(p slackfake.Post) bool {
		return strings.Contains(p.Body(), "already answered that suggestion")
	})
	if !p.Ephemeral || p.User != bobID {
		t.Errorf("second press answered %s to %q, want ephemeral to bob", p.Method, p.User)
	}
}
