package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// TestCardHistoryRepliesWhereThreadsAreRefused: where Discord refuses to
// start a thread on the triage card (the bot lacks Create Public
// Threads), the ticket's history goes on as replies to the card in the
// triage channel.
func TestCardHistoryRepliesWhereThreadsAreRefused(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	f.AddFault(discordfake.Fault{Method: "POST", Path: "/threads", Status: 403, Body: `{"message":"Missing Permissions","code":50013}`})
	card := reportInDM(t, d, alice)
	cardID := d.cardID()
	m := f.mark()
	d.click(discordfake.Triage, dana, nil, card.button(t, "Claim"))
	f.waitCall(m, "POST", "/channels/"+discordfake.Triage+"/messages/"+cardID+"/threads", "Ticket #1")
	c, _ := f.waitCall(m, "POST", "/channels/"+discordfake.Triage+"/messages", "claimed")
	var reply struct {
		Reference *struct {
			MessageID string `json:"message_id"`
			ChannelID string `json:"channel_id"`
		} `json:"message_reference"`
		Nonce string `json:"nonce"`
	}
	if err := json.Unmarshal(c.Body, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Reference == nil || reply.Reference.MessageID != cardID || reply.Reference.ChannelID != discordfake.Triage {
		t.Errorf("history post is not a reply to the card %s: %s", cardID, c.Body)
	}
	if reply.Nonce == "" {
		t.Errorf("the reply has no nonce, so a retry could post it twice: %s", c.Body)
	}
	d.drained()
	if tk := d.ticket(1); tk.Assignee != "discord:"+dana {
		t.Errorf("assignee = %q", tk.Assignee)
	}
	// Delivered once, and nothing waits to be retried or was given up.
	if n := f.count(m, "POST", "/channels/"+discordfake.Triage+"/messages", "claimed"); n != 1 {
		t.Errorf("the claim was told under the card %d times, want 1", n)
	}
	if n := f.Stats().Posts[cardID]; n != 0 {
		t.Errorf("%d messages in a thread that does not exist", n)
	}
	gaveUp, err := d.store.DeadOutbox(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaveUp) != 0 {
		t.Errorf("outbox gave up on %d messages, first %q: %s", len(gaveUp), gaveUp[0].Key, gaveUp[0].LastError)
	}
}

// TestNewInServerChannelGoesToDM: /helpdesk new in a plain server channel
// starts the report in a DM with the person, says so only to them, and
// the report goes on there.
func TestNewInServerChannelGoesToDM(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	dm := discordfake.DMChannel(alice)
	m := f.mark()
	d.slash(discordfake.Other, alice, "new", "problem", vpnReport)
	c, _ := f.waitCall(m, "POST", "/callback", `"type":5`)
	if !strings.Contains(string(c.Body), `"flags":64`) {
		t.Errorf("the deferred answer in a server channel is not ephemeral: %s", c.Body)
	}
	f.waitCall(m, "POST", "/users/@me/channels", `"recipient_id":"`+alice+`"`)
	offer, _ := f.waitCall(m, "POST", "/channels/"+dm+"/messages", "might fix it right away")
	c, _ = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "direct message")
	if p := decode(t, c); p.Flags&64 == 0 {
		t.Errorf("the pointer to the DM is not ephemeral: %s", c.Body)
	}

	// The report goes on in the DM, by button and by message.
	m = f.mark()
	d.press(t, offer, alice, nil, "Still broken")
	_, m = f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Who is affected")
	d.dm(alice, "just me")
	_, m = f.waitCall(m, "POST", "/channels/"+dm+"/messages", "How much is this stopping you")
	d.dm(alice, "I can't work at all")
	f.waitCall(m, "POST", "/channels/"+dm+"/messages", "is open")
	tk := d.ticket(1)
	if tk.Origin != (tickets.Place{Platform: Platform, ChannelID: dm}) {
		t.Errorf("origin = %+v, want alice's DM", tk.Origin)
	}
	if !strings.Contains(tk.Fields[tickets.FieldError], "The VPN server did not respond") {
		t.Errorf("the problem given with /new was not the report: %+v", tk.Fields)
	}
	d.drained()
	if n := f.count(0, "POST", "/channels/"+discordfake.Other+"/messages", ""); n != 0 {
		t.Errorf("%d posts in the server channel, want none: the report is private", n)
	}

	// Without a problem: the DM asks for one.
	m = f.mark()
	d.slash(discordfake.Other, bob, "new")
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(bob)+"/messages", "What's going wrong?")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "direct message")
}

// TestBareMentionAnswersHelp: a mention with nothing else says what the
// bot does, in a thread on the mention, as a report would get.
func TestBareMentionAnswersHelp(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	m := f.mark()
	q := d.say(discordfake.Other, alice, "<@"+discordfake.BotID+">", nil, true)
	f.waitCall(m, "POST", "/channels/"+discordfake.Other+"/messages/"+q+"/threads", "")
	c, _ := f.waitCall(m, "POST", "/channels/"+q+"/messages", "")
	help := decode(t, c).Content
	if !strings.Contains(help, "help desk") {
		t.Errorf("a bare mention got %q, want what the bot does", help)
	}
	// The older <@!ID> form, with only spaces besides, is bare too.
	m = f.mark()
	q = d.say(discordfake.Other, bob, "  <@!"+discordfake.BotID+">  ", nil, true)
	c, _ = f.waitCall(m, "POST", "/channels/"+q+"/messages", "")
	if got := decode(t, c).Content; got != help {
		t.Errorf("<@!ID> mention got %q, want the help", got)
	}
	d.drained()
	if _, err := d.store.Ticket(t.Context(), 1); err == nil {
		t.Error("a bare mention opened a ticket")
	}
}

// TestNewInServerChannelDMsRefused: when the person's settings refuse DMs
// from the bot, /helpdesk new says so instead of pointing to a DM that
// never came.
func TestNewInServerChannelDMsRefused(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	f.AddFault(discordfake.Fault{Method: "POST", Path: "/channels/" + discordfake.DMChannel(alice) + "/messages", Status: 403,
		Body: `{"message":"Cannot send messages to this user","code":50007}`})
	m := f.mark()
	d.slash(discordfake.Other, alice, "new", "problem", vpnReport)
	c, _ := f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	p := decode(t, c)
	if !strings.Contains(p.Content, "couldn't open a direct message") || p.Flags&64 == 0 {
		t.Errorf("answer = %s, want an ephemeral word that DMs are refused", c.Body)
	}
	// A marker in the same lane (alice in that channel): once answered,
	// the /new work has ended, so any other follow-up would be there.
	mk := f.mark()
	d.slash(discordfake.Other, alice, "help")
	f.waitCall(mk, "POST", "/webhooks/"+discordfake.AppID+"/", "")
	if n := f.count(m, "POST", "/webhooks/"+discordfake.AppID+"/", "direct message with me: answer there"); n != 0 {
		t.Errorf("pointed to a DM that was refused (%d times)", n)
	}
}
