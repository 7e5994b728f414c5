package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// These tests run the real discordgo session against the fake Discord
// with the real core, store and outbox, as cmd/helpdesk wires them.

const vpnReport = `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`

// reportInDM walks alice's VPN incident to an open ticket in her DM and
// returns the triage card the outbox posted.
func reportInDM(t *testing.T, d *desk, user string) post {
	t.Helper()
	f := d.fake
	dm := discordfake.DMChannel(user)
	m := f.mark()
	d.dm(user, vpnReport)
	c, m := f.waitCall(m, "POST", "/channels/"+dm+"/messages", "might fix it right away")
	d.press(t, c, user, nil, "Still broken")
	_, m = f.waitCall(m, "POST", "/callback", `"type":7`)
	_, m = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Who is affected")
	d.dm(user, "just me")
	_, m = f.waitCall(m, "POST", "/channels/"+dm+"/messages", "How much is this stopping you")
	d.dm(user, "I can't work at all")
	f.waitCall(m, "POST", "/channels/"+dm+"/messages", "is open")
	c, _ = f.waitCall(m, "POST", "/channels/"+discordfake.Triage+"/messages", "incident")
	return decode(t, c)
}

func TestDMIncident(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	card := reportInDM(t, d, alice)
	if len(card.Embeds) != 1 || !strings.Contains(card.Embeds[0].Title, "New P3 incident #1 from User "+alice) {
		t.Fatalf("triage card is not the ticket's embed: %+v", card)
	}
	if !strings.Contains(card.Embeds[0].Description, "SLA") {
		t.Errorf("card lacks the SLA line: %q", card.Embeds[0].Description)
	}
	for _, label := range []string{"Claim", "Reply", "Note", "Pending", "Resolve"} {
		card.button(t, label)
	}
	tk := d.ticket(1)
	if tk.Status != tickets.StatusNew || tk.Requester.Key() != "discord:"+alice || tk.Origin.ChannelID != discordfake.DMChannel(alice) {
		t.Errorf("ticket = %s %s %+v", tk.Status, tk.Requester.Key(), tk.Origin)
	}
	if got := tk.Fields[tickets.FieldError]; got != "The VPN server did not respond" {
		t.Errorf("error field = %q", got)
	}
}

func TestHelpChannelThread(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	m := f.mark()
	d.say(discordfake.Other, bob, "anyone know where the coffee is?", nil, false)
	report := d.say(discordfake.Help, bob, vpnReport, nil, false)
	_, m = f.waitCall(m, "POST", "/channels/"+discordfake.Help+"/messages/"+report+"/threads", "Help: My laptop")
	c, m := f.waitCall(m, "POST", "/channels/"+report+"/messages", "might fix it right away")
	d.click(report, bob, nil, decode(t, c).button(t, "Still broken"))
	_, m = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Who is affected")
	d.say(report, bob, "just me", nil, false)
	_, m = f.waitCall(m, "POST", "/channels/"+report+"/messages", "How much is this stopping you")
	d.say(report, bob, "I can't work at all", nil, false)
	_, _ = f.waitCall(m, "POST", "/channels/"+report+"/messages", "is open")
	tk := d.ticket(1)
	if tk.Origin != (tickets.Place{Platform: Platform, ChannelID: discordfake.Help, ThreadID: report}) {
		t.Errorf("origin = %+v, want the help channel's thread", tk.Origin)
	}
	if n := f.count(0, "POST", "/channels/"+discordfake.Other+"/messages", ""); n != 0 {
		t.Errorf("the bot answered %d times in a channel it was not asked in", n)
	}
	// A mention elsewhere opens a thread on it too.
	m = f.mark()
	q := d.say(discordfake.Other, alice, "<@"+discordfake.BotID+"> my printer is jammed", nil, true)
	_, m = f.waitCall(m, "POST", "/channels/"+discordfake.Other+"/messages/"+q+"/threads", "Help: my printer is jammed")
	f.waitCall(m, "POST", "/channels/"+q+"/messages", "")
}

func TestSelfServed(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	dm := discordfake.DMChannel(bob)
	m := f.mark()
	d.dm(bob, vpnReport)
	c, m := f.waitCall(m, "POST", "/channels/"+dm+"/messages", "might fix it right away")
	d.click(dm, bob, nil, decode(t, c).button(t, "This fixed it"))
	c, _ = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	if p := decode(t, c); strings.Contains(p.Content, "Ticket #") || p.Flags&64 != 0 {
		t.Errorf("self-service answer = %+v, want a visible closing message without a ticket", p)
	}
	ts, err := d.store.FindTickets(t.Context(), tickets.TicketFilter{})
	if err != nil || len(ts) != 0 {
		t.Errorf("tickets = %d (%v), want none: the article fixed it", len(ts), err)
	}
}

func TestTriageCardClaimReplyNote(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	card := reportInDM(t, d, alice)
	cardID := d.cardID()
	m := f.mark()

	// Claim by button: an invisible deferred update, an ephemeral word to
	// the agent, the card edited in place and the news in its thread.
	d.click(discordfake.Triage, dana, nil, card.button(t, "Claim"))
	f.waitCall(m, "POST", "/callback", `"type":6`)
	c, _ := f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	if p := decode(t, c); p.Flags&64 == 0 {
		t.Errorf("claim answer is not ephemeral: %s", c.Body)
	}
	c, _ = f.waitCall(m, "PATCH", "/channels/"+discordfake.Triage+"/messages/"+cardID, "Assigned: Dana")
	edited := decode(t, c)
	if len(edited.Embeds) != 1 || strings.Contains(string(c.Body), `"Claim"`) {
		t.Errorf("edited card = %s, want the embed without a Claim button", c.Body)
	}
	f.waitCall(m, "POST", "/channels/"+discordfake.Triage+"/messages/"+cardID+"/threads", "Ticket #1")
	f.waitCall(m, "POST", "/channels/"+cardID+"/messages", "claimed")
	if tk := d.ticket(1); tk.Assignee != "discord:"+dana {
		t.Errorf("assignee = %q", tk.Assignee)
	}

	// Reply by modal: relayed to the requester's DM.
	m = f.mark()
	d.click(discordfake.Triage, dana, nil, edited.button(t, "Reply"))
	c, m = f.waitCall(m, "POST", "/callback", `"type":9`)
	if !strings.Contains(string(c.Body), `"custom_id":"modal:reply:1"`) || !strings.Contains(string(c.Body), `"custom_id":"text"`) {
		t.Fatalf("reply modal = %s", c.Body)
	}
	d.submit(discordfake.Triage, dana, nil, "modal:reply:1", map[string]string{"text": "Please try the VPN client's repair option."})
	f.waitCall(m, "POST", "/callback", `"type":5`)
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "Please try the VPN client's repair option.")

	// Note by modal: recorded, never relayed.
	m = f.mark()
	d.submit(discordfake.Triage, dana, nil, "modal:note:1", map[string]string{"text": "Suspect the new VPN profile rollout."})
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	f.waitCall(m, "POST", "/channels/"+cardID+"/messages", "note")
	if n := f.count(0, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "Suspect the new VPN"); n != 0 {
		t.Errorf("the internal note reached the requester %d times", n)
	}
	checkNoMentions(t, f)
}

// cardID is the message ID the fake gave the first triage card.
func (d *desk) cardID() string {
	d.t.Helper()
	for _, c := range d.fake.Calls(0) {
		if c.Matches("POST", "/channels/"+discordfake.Triage+"/messages", `"embeds":[{`) && c.Status == 200 {
			var p post
			_ = json.Unmarshal(c.Resp, &p)
			return p.ID
		}
	}
	d.t.Fatal("no triage card posted")
	return ""
}

// checkNoMentions asserts every message the bot sent or edited had
// allowed mentions set to none, so user text cannot ping anyone.
func checkNoMentions(t *testing.T, f *fakeDiscord) {
	t.Helper()
	n := 0
	for _, c := range f.Calls(0) {
		sends := (c.Method == "POST" && (strings.HasSuffix(c.Path, "/messages") || strings.HasPrefix(c.Path, "/webhooks/"))) ||
			(c.Method == "PATCH" && strings.Contains(c.Path, "/messages/"))
		if !sends {
			continue
		}
		n++
		if !strings.Contains(string(c.Body), `"allowed_mentions":{"parse":[]`) {
			t.Errorf("%s %s without allowed_mentions none: %s", c.Method, c.Path, c.Body)
		}
	}
	if n == 0 {
		t.Error("no messages sent")
	}
}

func TestNonAgentRefusedAndRoleAgent(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	card := reportInDM(t, d, alice)
	m := f.mark()
	d.click(discordfake.Triage, bob, nil, card.button(t, "Claim"))
	c, _ := f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	if p := decode(t, c); p.Flags&64 == 0 || !strings.Contains(strings.ToLower(p.Content), "agent") {
		t.Errorf("refusal = %s, want an ephemeral word about agents", c.Body)
	}
	if tk := d.ticket(1); tk.Assignee != "" {
		t.Fatalf("a non-agent claimed the ticket: %q", tk.Assignee)
	}
	// Rolf holds the agents' role: the same button works for him.
	m = f.mark()
	d.click(discordfake.Triage, rolf, []string{agentRole}, card.button(t, "Claim"))
	f.waitCall(m, "PATCH", "/channels/"+discordfake.Triage+"/messages/", "Assigned")
	if tk := d.ticket(1); tk.Assignee != "discord:"+rolf {
		t.Errorf("assignee = %q, want rolf by his role", tk.Assignee)
	}
}

func TestModalMissingFields(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	reportInDM(t, d, alice)
	m := f.mark()
	d.submit(discordfake.Triage, dana, nil, "modal:resolve:1", map[string]string{"text": "   "})
	c, _ := f.waitCall(m, "POST", "/callback", `"type":4`)
	body := string(c.Body)
	for _, want := range []string{"Resolution (what fixed it): Write the text here, or pick a macro.", `"flags":64`, `"custom_id":"resolve:1"`, "Open the form again"} {
		if !strings.Contains(body, want) {
			t.Errorf("refusal lacks %q: %s", want, body)
		}
	}
	if tk := d.ticket(1); tk.Status != tickets.StatusNew {
		t.Errorf("status = %s after an empty resolve form", tk.Status)
	}
}
