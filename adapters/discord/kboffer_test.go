package discord

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// checkAnswered asserts the interaction callback c updated the KB offer in
// place: its text kept, its buttons gone, the choice below.
func checkAnswered(t *testing.T, c discordfake.Call, choice string) {
	t.Helper()
	body := string(c.Body)
	for _, want := range []string{`"type":7`, `"components":[]`, "might fix it right away", choice, `"allowed_mentions":{"parse":[]`} {
		if !strings.Contains(body, want) {
			t.Errorf("offer update lacks %s: %s", want, body)
		}
	}
	if strings.Contains(body, `"flags":64`) {
		t.Errorf("offer update is ephemeral: %s", body)
	}
}

func TestKBOfferAnsweredLosesItsButtons(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	dm := discordfake.DMChannel(bob)
	m := f.mark()
	d.dm(bob, vpnReport)
	offer, m := f.waitCall(m, "POST", "/channels/"+dm+"/messages", "might fix it right away")

	d.press(t, offer, bob, nil, "This fixed it")
	c, _ := f.waitCall(m, "POST", "/callback", "")
	checkAnswered(t, c, "✓ This fixed it")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "glad that fixed it")

	// A stale client presses the other button of the old offer: the core
	// says, only to bob, that it was answered, and the intake is untouched.
	m = f.mark()
	d.press(t, offer, bob, nil, "Still broken")
	c, _ = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "already answered that suggestion")
	if p := decode(t, c); p.Flags&64 == 0 {
		t.Errorf("the answer to a second press is not ephemeral: %s", c.Body)
	}
	// A marker in the same lane (bob in his DM): once it is answered,
	// anything the second press queued has run.
	d.dm(bob, "/help")
	f.waitCall(m, "POST", "/channels/"+dm+"/messages", "")
	d.drained()
	for _, c := range f.Calls(m) {
		if b := string(c.Body); strings.Contains(b, "Which device") || strings.Contains(b, "description of a problem") || strings.Contains(b, "Who is affected") {
			t.Errorf("a second press on an answered offer reached the intake: %s %s", c.Path, b)
		}
	}
	if n := f.count(m, "POST", "/webhooks/"+discordfake.AppID+"/", ""); n != 1 {
		t.Errorf("%d follow-ups to a second press, want the one refusal", n)
	}
}

func TestKBOfferInThreadPressedTwice(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	m := f.mark()
	report := d.say(discordfake.Help, bob, vpnReport, nil, false)
	offer, m := f.waitCall(m, "POST", "/channels/"+report+"/messages", "might fix it right away")

	d.press(t, offer, bob, nil, "Still broken")
	c, _ := f.waitCall(m, "POST", "/callback", "")
	checkAnswered(t, c, "Still broken — opening a ticket")
	c, m = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Who is affected")
	if p := decode(t, c); p.Flags&64 != 0 {
		t.Errorf("the intake's next question is ephemeral in the report thread: %s", c.Body)
	}

	// Both buttons pressed again: refused, and the question still waits
	// for bob's own answer.
	for _, label := range []string{"This fixed it", "Still broken"} {
		mk := f.mark()
		d.press(t, offer, bob, nil, label)
		f.waitCall(mk, "POST", "/webhooks/"+discordfake.AppID+"/", "already answered that suggestion")
	}
	d.say(report, bob, "just me", nil, false)
	_, m = f.waitCall(m, "POST", "/channels/"+report+"/messages", "How much is this stopping you")
	d.say(report, bob, "I can't work at all", nil, false)
	f.waitCall(m, "POST", "/channels/"+report+"/messages", "is open")
	if tk := d.ticket(1); tk.Impact != tickets.Low {
		t.Errorf("impact = %q, want bob's own answer (just me)", tk.Impact)
	}
}
