package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// These tests run the real help desk core through this adapter and the
// real slack-go client (Socket Mode and Web API) against the fake Slack.

// reportVPN takes alice through a full incident in her DM, pressing
// "Still broken" on the KB suggestions, and returns the ticket's card.
func reportVPN(t *testing.T, r *rig) slackfake.Post {
	t.Helper()
	got := r.dm(aliceID, vpnReport)
	mustContain(t, bodies(got), "might fix it right away")
	offer := got[len(got)-1]
	if _, _, ok := offer.Button("kb_fixed"); !ok {
		t.Fatalf("KB offer has no buttons: %s", offer.Blocks)
	}
	from := r.fake.postCount()
	r.press(aliceID, offer, "kb_not_fixed")
	mustContain(t, bodies(r.answers(from, "D"+aliceID, "")), "Who is affected")
	r.dm(aliceID, "just me")
	done := r.dm(aliceID, "I can't work at all")
	mustContain(t, bodies(done), "Ticket #1 is open")
	return r.card(1)
}

func TestIncidentInDM(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)

	tk := r.ticket(1)
	if tk.Requester.Name != "Alice Archer" || tk.Requester.Contact != "alice@example.com" {
		t.Errorf("requester = %+v, want the Slack profile", tk.Requester)
	}
	if tk.Origin != (tickets.Place{Platform: Platform, ChannelID: "D" + aliceID}) {
		t.Errorf("origin = %+v", tk.Origin)
	}
	mustContain(t, card.Body(), "#1", "Alice Archer", "SLA")
	for _, b := range []string{"claim", "reply", "note", "pending", "resolve"} {
		if _, _, ok := card.Button(b); !ok {
			t.Errorf("card lacks the %s button", b)
		}
	}
	// The intake never asked what the profile told.
	r.settle()
	for _, p := range r.fake.Posts(0) {
		if strings.Contains(p.Body(), "your email") || strings.Contains(p.Body(), "your name") {
			t.Errorf("asked for what Slack knows: %q", p.Body())
		}
	}
}

func TestIncidentInHelpChannelThread(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	got, thread := r.inThread(bobID, vpnReport, "")
	mustContain(t, bodies(got), "might fix it right away")
	got, _ = r.inThread(bobID, "no", thread)
	mustContain(t, bodies(got), "Who is affected")
	r.inThread(bobID, "just me", thread)
	got, _ = r.inThread(bobID, "I can't work at all", thread)
	mustContain(t, bodies(got), "Ticket #1 is open")
	if o := r.ticket(1).Origin; o.ChannelID != helpChannel || o.ThreadID != thread {
		t.Errorf("origin = %+v, want the help channel thread %s", o, thread)
	}
	// Nothing went to the channel outside the thread.
	r.settle()
	for _, p := range r.fake.Posts(0) {
		if p.Channel == helpChannel && p.ThreadTS == "" {
			t.Errorf("posted at the top of the help channel: %q", p.Body())
		}
	}
}

func TestSelfServedByKBButton(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	got := r.dm(bobID, "my outlook keeps asking for my password")
	offer := got[len(got)-1]
	from := r.fake.postCount()
	r.press(bobID, offer, "kb_fixed")
	mustContain(t, bodies(r.answers(from, "D"+bobID, "")), "glad that fixed it")
	r.settle() // the press handled to the end, the outbox delivered
	ts, err := r.store.FindTickets(context.Background(), tickets.TicketFilter{})
	if err != nil || len(ts) != 0 {
		t.Fatalf("tickets = %d, %v; want none", len(ts), err)
	}
	for _, p := range r.fake.Posts(0) {
		if p.Channel == triageChannel {
			t.Errorf("triage told of a self-served problem: %q", p.Body())
		}
	}
}

// openForm presses a form button of the card as user and returns the
// modal Slack was asked to open.
func openForm(t *testing.T, r *rig, user string, card slackfake.Post, action string) map[string]any {
	t.Helper()
	before := r.fake.callCount("views.open", "")
	r.press(user, card, action)
	r.fake.waitFor("views.open", func() bool { return r.fake.callCount("views.open", "") > before })
	return r.fake.lastView()
}

// submit submits modal view with values as user and returns the ack
// payload.
func submit(r *rig, user string, view map[string]any, values map[string]string) json.RawMessage {
	ts := r.ts()
	return r.fake.ack(r.fake.send("interactive", viewSubmission("trig-"+ts, user, "V-"+ts, view, values)))
}

func TestTriageCardClaimReplyAndNote(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)

	r.press(agentID, card, "claim")
	r.fake.waitFor("the card edited", func() bool { return r.fake.message(card.Channel, card.TS).Edits > 0 })
	edited := r.fake.message(card.Channel, card.TS)
	mustContain(t, edited.Body(), "Assigned: Dana")
	if _, _, ok := edited.Button("claim"); ok {
		t.Error("the claimed card still offers Claim")
	}
	r.fake.waitPost("the claim in the card's thread", 0, func(p slackfake.Post) bool {
		return p.Channel == triageChannel && p.ThreadTS == card.TS && strings.Contains(p.Body(), "Dana claimed #1")
	})
	r.fake.waitPost("the agent's ephemeral answer", 0, func(p slackfake.Post) bool {
		return p.Ephemeral && p.User == agentID && strings.Contains(p.Body(), "You claimed #1")
	})
	r.fake.waitPost("the requester told", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "Dana is now working on your ticket #1")
	})
	if tk := r.ticket(1); tk.Assignee != "slack:"+agentID || tk.Status != tickets.StatusOpen {
		t.Errorf("ticket = %s assigned to %q", tk.Status, tk.Assignee)
	}

	// Reply through its modal: the requester gets it in her DM.
	view := openForm(t, r, agentID, edited, "reply")
	if view["callback_id"] != formCallbackID {
		t.Fatalf("modal = %v", view)
	}
	if ack := submit(r, agentID, view, map[string]string{"text": "Please reinstall the VPN client & retry"}); string(ack) != "null" {
		t.Fatalf("valid reply answered with %s", ack)
	}
	r.fake.waitPost("the reply relayed", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "Please reinstall the VPN client &amp; retry")
	})

	// A note through its modal: in the card's thread, never to alice.
	view = openForm(t, r, agentID, edited, "note")
	from := r.fake.postCount()
	submit(r, agentID, view, map[string]string{"text": "checked the concentrator logs"})
	r.fake.waitPost("the note in the card's thread", from, func(p slackfake.Post) bool {
		return p.Channel == triageChannel && p.ThreadTS == card.TS && strings.Contains(p.Body(), "checked the concentrator logs")
	})
	r.fake.waitPost("the note's ephemeral confirmation", from, func(p slackfake.Post) bool {
		return p.Ephemeral && p.User == agentID && strings.Contains(p.Body(), "Internal note added")
	})
	r.settle() // a wrong relay would be posted by now
	for _, p := range r.fake.Posts(0) {
		if p.Channel == "D"+aliceID && strings.Contains(p.Body(), "concentrator") {
			t.Errorf("the internal note reached the requester: %q", p.Body())
		}
	}
}

func TestGroupAgentClaims(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	r.press(groupAgentID, card, "claim")
	r.fake.waitPost("the group agent's claim", 0, func(p slackfake.Post) bool {
		return p.Ephemeral && p.User == groupAgentID && strings.Contains(p.Body(), "You claimed #1")
	})
	if tk := r.ticket(1); tk.Assignee != "slack:"+groupAgentID {
		t.Errorf("assignee = %q", tk.Assignee)
	}
}

func TestNonAgentRefused(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)

	r.press(bobID, card, "claim")
	refused := r.fake.waitPost("bob refused", 0, func(p slackfake.Post) bool { return p.Ephemeral && p.User == bobID })
	mustContain(t, refused.Body(), "Only help desk agents")
	if refused.Channel != triageChannel {
		t.Errorf("refusal in %s", refused.Channel)
	}

	views := r.fake.callCount("views.open", "")
	from := r.fake.postCount()
	r.press(bobID, card, "resolve")
	refused = r.fake.waitPost("bob refused a form", from, func(p slackfake.Post) bool { return p.Ephemeral && p.User == bobID })
	mustContain(t, refused.Body(), "Only help desk agents")
	r.settle()
	if n := r.fake.callCount("views.open", ""); n != views {
		t.Errorf("a modal opened for a non-agent")
	}
	if tk := r.ticket(1); tk.Assignee != "" || tk.Status != tickets.StatusNew {
		t.Errorf("ticket changed: %s %q", tk.Status, tk.Assignee)
	}
}

func TestModalWithMissingFields(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	view := openForm(t, r, agentID, card, "resolve")
	ack := submit(r, agentID, view, map[string]string{"text": "   "})
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(ack, &resp); err != nil || resp.ResponseAction != "errors" || resp.Errors["text"] == "" {
		t.Fatalf("ack = %s, want errors on the text field", ack)
	}
	if tk := r.ticket(1); tk.Status == tickets.StatusResolved {
		t.Error("resolved without a resolution")
	}
	// Filled in, it goes through.
	submit(r, agentID, view, map[string]string{"text": "Reinstalled the client"})
	r.fake.waitPost("the resolution relayed", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "Reinstalled the client")
	})
	if tk := r.ticket(1); tk.Status != tickets.StatusResolved {
		t.Errorf("status = %s", tk.Status)
	}
}

func TestSameEventTwiceHandledOnce(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	fake := r.fake
	ev := messageEvent("EvDUP", "D"+aliceID, "im", aliceID, "I need a new keyboard", "1800000001.000001", "")
	fake.ack(fake.send("events_api", ev))
	fake.waitPost("the first answer", 0, func(p slackfake.Post) bool { return p.Channel == "D"+aliceID })
	fake.ack(fake.send("events_api", ev)) // Slack's retry: new envelope, same event
	r.settle()                            // the retry dropped or handled to the end
	n := len(fake.Posts(0))

	// And after a restart, the store still knows it.
	r.stop()
	r = newRig(t, rigOptions{socket: true, fake: fake, db: r.db})
	fake.ack(fake.send("events_api", ev))
	r.settle()
	if got := len(fake.Posts(0)); got != n {
		t.Errorf("posts after a redelivery across a restart: %d, want %d:\n%s", got, n, bodies(fake.Posts(0)))
	}
	answers := 0
	for _, p := range fake.Posts(0) {
		if p.Channel == "D"+aliceID {
			answers++
		}
	}
	if answers == 0 || answers > 2 {
		t.Errorf("%d answers to one event", answers)
	}
}

func TestRateLimitedThenDelivered(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	r.press(agentID, card, "claim")
	r.fake.waitPost("claimed", 0, func(p slackfake.Post) bool { return p.Ephemeral && strings.Contains(p.Body(), "You claimed") })
	// Let the claim's own outbox posts go first.
	r.fake.waitPost("the requester told of the claim", 0, func(p slackfake.Post) bool { return strings.Contains(p.Body(), "is now working on your ticket") })
	r.fake.waitPost("the claim in the thread", 0, func(p slackfake.Post) bool { return p.ThreadTS == card.TS && strings.Contains(p.Body(), "claimed #1") })
	r.fake.waitFor("the card edited", func() bool { return r.fake.message(card.Channel, card.TS).Edits > 0 })

	// The next outbox post (the reply to alice) meets a 429, then goes.
	// Retry-After is longer than the outbox's own first backoff (1 s), so
	// a retry that ignored it would come too soon.
	r.fake.Fail("chat.postMessage", 1, slackfake.Fault{Status: 429, RetryAfter: 3})
	view := openForm(t, r, agentID, card, "reply")
	submit(r, agentID, view, map[string]string{"text": "rate limited reply"})
	r.fake.waitPost("the reply after the rate limit", 0, func(p slackfake.Post) bool {
		return strings.Contains(p.Body(), "rate limited reply") && p.Channel == "D"+aliceID
	})
	r.fake.waitPost("the reply in the card's thread", 0, func(p slackfake.Post) bool {
		return strings.Contains(p.Body(), "rate limited reply") && p.ThreadTS == card.TS
	})
	// The refused post was tried again no sooner than Retry-After.
	calls := r.fake.Calls()
	var limited *slackfake.Call
	for i, c := range calls {
		if limited == nil && c.Status == 429 {
			limited = &calls[i]
		} else if limited != nil && c.Method == limited.Method && c.Params.Get("channel") == limited.Params.Get("channel") && c.Params.Get("text") == limited.Params.Get("text") {
			if gap := c.At.Sub(limited.At); gap < 3*time.Second {
				t.Errorf("retried %v after a 429 with Retry-After: 3", gap)
			}
			break
		}
	}
	if limited == nil {
		t.Fatal("no call was rate limited")
	}
	count := 0
	for _, p := range r.fake.Posts(0) {
		if p.Channel == "D"+aliceID && strings.Contains(p.Body(), "rate limited reply") {
			count++
		}
	}
	if count != 1 {
		t.Errorf("the reply was posted %d times", count)
	}
}

func TestServerErrorThenDelivered(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	r.fake.Fail("chat.update", 1, slackfake.Fault{Status: 500})
	r.press(agentID, card, "claim")
	r.fake.waitFor("the card edited after a 500", func() bool { return r.fake.message(card.Channel, card.TS).Edits > 0 })
	if n := r.fake.callCount("chat.update", card.Channel); n != 2 {
		t.Errorf("chat.update calls on the card = %d, want the failure and the retry", n)
	}
}

func TestDirectReplyRetriesRateLimit(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	r.fake.Fail("chat.postMessage", 2, slackfake.Fault{Status: 429, RetryAfter: 2})
	got := r.dm(bobID, "I need a new keyboard")
	if len(got) == 0 {
		t.Fatal("no answer")
	}
	if n := r.fake.callCount("chat.postMessage", ""); n < 3 {
		t.Errorf("postMessage calls = %d, want two rate-limited then one through", n)
	}
}

// TestDirectReplyFailuresGoToOutbox: a direct reply Slack answers with a
// server error is handed to the outbox, which posts it once Slack takes
// it; one Slack refuses for good is not retried.
func TestDirectReplyFailuresGoToOutbox(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fail  slackfake.Fault
		posts int // of the answer, once Slack took one
	}{
		{"server error", slackfake.Fault{Status: 500}, 1},
		{"refused", slackfake.Fault{Error: "channel_not_found"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, rigOptions{socket: true})
			r.fake.Fail("chat.postMessage", 1, tc.fail)
			from := r.fake.postCount()
			r.fake.ack(r.fake.sent(r.fake.DM(bobID, "/mine")))
			if tc.posts > 0 {
				r.answers(from, "D"+bobID, "")
			}
			r.settle()
			r.ad.Flush() // the failed answer handed over or given up
			r.drained()
			if n := r.fake.callCount("chat.postMessage", ""); n != 1+tc.posts {
				t.Errorf("postMessage calls = %d, want the failed one and %d more", n, tc.posts)
			}
			answered := 0
			for _, p := range r.fake.Posts(from) {
				if p.Channel == "D"+bobID {
					answered++
				}
			}
			if answered != tc.posts {
				t.Errorf("bob got %d answers, want %d", answered, tc.posts)
			}
		})
	}
}

func TestRestartDeliversQueuedOnce(t *testing.T) {
	fake := newFakeSlack(t, slackfake.Options{})
	// First life: no dispatcher runs, so the triage card stays queued.
	r := newRig(t, rigOptions{socket: true, fake: fake, quiet: true})
	r.dm(aliceID, vpnReport)
	r.dm(aliceID, "no")
	r.dm(aliceID, "just me")
	mustContain(t, bodies(r.dm(aliceID, "I can't work at all")), "Ticket #1 is open")
	for _, p := range fake.Posts(0) {
		if p.Channel == triageChannel {
			t.Fatal("card posted without a dispatcher")
		}
	}
	r.stop()

	// Second life on the same database delivers it.
	r2 := newRig(t, rigOptions{socket: true, fake: fake, db: r.db})
	r2.card(1)
	r2.settle() // the card recorded as sent before the stop
	r2.stop()
	// Third life finds nothing left to send: a marker queued for the
	// triage channel now goes out after anything still queued there.
	r3 := newRig(t, rigOptions{socket: true, fake: fake, db: r.db})
	marker := r3.outboxMarker(tickets.Place{Platform: Platform, ChannelID: triageChannel})
	r3.settle()
	cards := 0
	for _, p := range fake.Posts(0) {
		if p.Channel == triageChannel && p.Method == "chat.postMessage" && p.ThreadTS == "" && !strings.Contains(p.Body(), marker) {
			cards++
		}
	}
	if cards != 1 {
		t.Errorf("triage card posted %d times", cards)
	}
}

func TestIgnoresBotsOwnEditsAndJoins(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	r.fake.waitFor("auth.test", func() bool {
		for _, c := range r.fake.Calls() {
			if c.Method == "auth.test" {
				return true
			}
		}
		return false
	})
	deadline := time.Now().Add(5 * time.Second)
	for r.ad.selfID() == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	ignored := []map[string]any{
		callback("EvB1", map[string]any{"type": "message", "channel": "D" + aliceID, "channel_type": "im", "bot_id": "BOTHER", "text": "I am a bot", "ts": "1.1"}),
		callback("EvB2", map[string]any{"type": "message", "channel": helpChannel, "channel_type": "channel", "user": "UBOT", "text": "my own post", "ts": "1.2"}),
		callback("EvB3", map[string]any{"type": "message", "subtype": "message_changed", "channel": "D" + aliceID, "channel_type": "im", "ts": "1.3",
			"message": map[string]any{"user": aliceID, "text": "edited", "ts": "1.0"}}),
		callback("EvB4", map[string]any{"type": "message", "subtype": "channel_join", "channel": helpChannel, "channel_type": "channel", "user": bobID, "text": "<@UBOB> has joined", "ts": "1.4"}),
		messageEvent("EvB5", "CRANDOM", "channel", bobID, "chatter elsewhere", "1.5", ""),
		callback("EvB6", map[string]any{"type": "message", "subtype": "bot_message", "channel": helpChannel, "channel_type": "channel", "text": "integration", "ts": "1.6"}),
	}
	for _, ev := range ignored {
		r.fake.ack(r.fake.send("events_api", ev))
	}
	r.settle()
	if got := r.fake.Posts(0); len(got) != 0 {
		t.Fatalf("answered ignored events:\n%s", bodies(got))
	}
	// The pipe works: a person is answered.
	if got := r.dm(aliceID, "/help"); len(got) == 0 {
		t.Fatal("no answer to a person")
	}
}

func TestMentionInjectionEscaped(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	// What Slack sends when someone types "<!channel>" and "<@UDANA>"
	// literally, and a real @channel and mention.
	text := "My laptop can't reach the VPN &lt;!channel&gt; &lt;@UDANA&gt; <!here> <@UBOB> since this morning, it says *bold* \"The VPN server did not respond\". I already rebooted."
	r.dm(aliceID, text)
	r.dm(aliceID, "no")
	r.dm(aliceID, "just me")
	r.dm(aliceID, "I can't work at all")
	card := r.card(1)
	mustContain(t, card.Body(), "&lt;!channel&gt;")
	r.settle()
	for _, p := range r.fake.Posts(0) {
		for _, s := range []string{p.Text, p.Body()} {
			for _, bad := range []string{"<!channel>", "<!here>", "<@UDANA>", "<@UBOB>"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s in %s to %s: %q", bad, p.Method, p.Channel, s)
				}
			}
		}
		var blocks []struct {
			Text *struct {
				Type string `json:"type"`
			} `json:"text"`
		}
		_ = json.Unmarshal(p.Blocks, &blocks)
		for _, b := range blocks {
			if b.Text != nil && b.Text.Type != "plain_text" {
				t.Errorf("section of type %s: formatting would apply", b.Text.Type)
			}
		}
	}
}

func TestMentionStartsThreadElsewhere(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	r.fake.ack(r.fake.send("events_api", callback("EvM1", map[string]any{"type": "app_mention", "channel": "CGENERAL", "user": bobID,
		"text": "<@UBOT> my outlook keeps asking for my password", "ts": "1800000100.000001"})))
	got := r.answers(0, "CGENERAL", "1800000100.000001")
	mustContain(t, bodies(got), "might fix it right away")
	// The thread goes on without mentioning the bot again.
	from := r.fake.postCount()
	r.fake.ack(r.fake.send("events_api", messageEvent("EvM2", "CGENERAL", "channel", bobID, "no", "1800000100.000002", "1800000100.000001")))
	mustContain(t, bodies(r.answers(from, "CGENERAL", "1800000100.000001")), "error message")

	// After a restart the thread still goes on without a mention: the
	// core knows the conversation from its store.
	r.stop()
	r = newRig(t, rigOptions{socket: true, db: r.db, fake: r.fake})
	from = r.fake.postCount()
	r.fake.ack(r.fake.send("events_api", messageEvent("EvM3", "CGENERAL", "channel", bobID, "skip", "1800000100.000003", "1800000100.000001")))
	mustContain(t, bodies(r.answers(from, "CGENERAL", "1800000100.000001")), "Who is affected")

	// Thread talk among others in that channel is not for the desk.
	from = r.fake.postCount()
	r.fake.ack(r.fake.send("events_api", messageEvent("EvM4", "CGENERAL", "channel", aliceID, "lunch?", "1800000200.000002", "1800000200.000001")))
	r.settle()
	for _, p := range r.fake.Posts(from) {
		if p.Channel == "CGENERAL" {
			t.Errorf("the bot answered unrelated thread talk: %q", p.Body())
		}
	}
}

func TestSlashCommands(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	env := r.fake.command(bobID, "CGENERAL", "help")
	r.fake.ack(env)
	help := r.fake.waitPost("help in place", 0, func(p slackfake.Post) bool { return p.Method == "response_url" && p.Channel == env })
	if !help.Ephemeral {
		t.Error("help was not ephemeral")
	}
	mustContain(t, help.Body(), "/helpdesk ")

	// /helpdesk new from a channel goes on in the DM.
	from := r.fake.postCount()
	env = r.fake.command(bobID, "CGENERAL", "new")
	r.fake.ack(env)
	mustContain(t, bodies(r.answers(from, "D"+bobID, "")), "fresh report")
	pointer := r.fake.waitPost("the pointer to the DM", from, func(p slackfake.Post) bool { return p.Channel == env })
	mustContain(t, pointer.Body(), "direct messages")

	// A status query of someone else's ticket is answered privately.
	env = r.fake.command(bobID, "CGENERAL", "status 99")
	r.fake.ack(env)
	st := r.fake.waitPost("status in place", 0, func(p slackfake.Post) bool { return p.Channel == env })
	if !st.Ephemeral {
		t.Errorf("status answer not ephemeral: %q", st.Body())
	}
}

func TestReconnectsAndReportsHealth(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	if err := r.ad.Health(); err != nil {
		t.Fatalf("health = %v while connected", err)
	}
	r.fake.Fail("apps.connections.open", -1, slackfake.Fault{Status: 500})
	r.fake.Drop()
	deadline := time.Now().Add(5 * time.Second)
	for r.ad.Health() == nil {
		if time.Now().After(deadline) {
			t.Fatal("health still fine while Slack is unreachable")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("health while down: %v", r.ad.Health())
	r.fake.ClearFaults("apps.connections.open")
	r.waitHealthy()
	if got := r.dm(aliceID, "/help"); len(got) == 0 {
		t.Fatal("no answer after reconnecting")
	}
}

func TestEscalateModalPrefilled(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	view := openForm(t, r, agentID, card, "escalate")
	raw, _ := json.Marshal(view["blocks"])
	// The handoff form carries what intake learned.
	mustContain(t, string(raw), `"block_id":"to"`, `"block_id":"steps"`, `"initial_value":"2"`, "The VPN server did not respond")
	var meta formMeta
	if err := json.Unmarshal([]byte(view["private_metadata"].(string)), &meta); err != nil || meta.Action != "escalate" || meta.Value != "1" || meta.Channel != triageChannel {
		t.Errorf("metadata = %+v, %v", meta, err)
	}
}

// A mention in a help channel arrives twice (message and app_mention);
// it is one report.
func TestMentionInHelpChannelHandledOnce(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	for deadline := time.Now().Add(5 * time.Second); r.ad.selfID() == "" && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	ts := r.ts()
	text := "<@UBOT> I need a new keyboard"
	env1 := r.fake.send("events_api", messageEvent("EvD1", helpChannel, "channel", bobID, text, ts, ""))
	env2 := r.fake.send("events_api", callback("EvD2", map[string]any{"type": "app_mention", "channel": helpChannel, "user": bobID, "text": text, "ts": ts}))
	r.fake.ack(env1)
	r.fake.ack(env2)
	r.answers(0, helpChannel, ts)
	r.settle() // both events handled or dropped, to the end
	got := bodies(r.fake.Posts(0))
	if n := strings.Count(got, "sounds like a service request"); n != 1 {
		t.Errorf("the post was handled %d times:\n%s", n, got)
	}
	if strings.Contains(got, "UBOT") {
		t.Errorf("the bot's own mention reached the core:\n%s", got)
	}
}
