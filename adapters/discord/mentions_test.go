package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A message that mentions agents is preceded by their mentions, allowed to
// notify them and nobody else; the message itself still notifies nobody,
// and an ID that is not a user ID is left out.
func TestSendMentions(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	s, err := NewSession("tok", 0, 1, &http.Client{Transport: f.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	a := New(Config{}, s, nil, nil, nil, Options{})
	m0 := f.mark()
	msg := &tickets.OutboxMessage{Key: "k", To: tickets.Place{Platform: Platform, ChannelID: discordfake.Triage}, Text: "SLA warning: #1 @everyone",
		Mentions: []string{"501", "@everyone", "502"}}
	if _, err := a.Send(context.Background(), chat.Delivery{Msg: msg}); err != nil {
		t.Fatal(err)
	}
	c, m1 := f.waitCall(m0, "POST", "/channels/"+discordfake.Triage+"/messages", `@501`)
	var first struct {
		Content         string `json:"content"`
		AllowedMentions struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(c.Body, &first); err != nil {
		t.Fatal(err)
	}
	if first.Content != "<@501> <@502>" || strings.Join(first.AllowedMentions.Users, ",") != "501,502" || len(first.AllowedMentions.Parse) != 0 {
		t.Errorf("mention message %s", c.Body)
	}
	c, _ = f.waitCall(m1, "POST", "/channels/"+discordfake.Triage+"/messages", "SLA warning")
	if !strings.Contains(string(c.Body), `"allowed_mentions":{"parse":[],`) {
		t.Errorf("the alert itself may notify: %s", c.Body)
	}
}
