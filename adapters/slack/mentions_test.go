package slack

import (
	"context"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A message that mentions agents notifies them: their mentions are
// markup, the message's own text stays escaped, and an ID that is not a
// Slack user ID is left out.
func TestSendMentions(t *testing.T) {
	f := newFakeSlack(t, slackfake.Options{})
	a, err := New(Options{BotToken: "xoxb-test", SigningSecret: signingSecret, APIURL: f.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	from := f.postCount()
	m := &tickets.OutboxMessage{Key: "k", To: tickets.Place{Platform: Platform, ChannelID: "CTRIAGE"}, Text: "SLA warning: #1 <@UEVIL> & co",
		Mentions: []string{"UDANA", "<!channel>", "UTOM"}}
	if _, err := a.Send(context.Background(), chat.Delivery{Msg: m}); err != nil {
		t.Fatal(err)
	}
	p := f.waitPost("the alert", from, func(p slackfake.Post) bool { return p.Channel == "CTRIAGE" })
	body := p.Body()
	if !strings.HasPrefix(body, "<@UDANA> <@UTOM>\n") || !strings.Contains(body, "SLA warning: #1 &lt;@UEVIL&gt; &amp; co") || strings.Contains(body, "channel") {
		t.Errorf("posted %q", body)
	}
	if !strings.HasPrefix(p.Text, "<@UDANA> <@UTOM> SLA warning") {
		t.Errorf("notification text %q", p.Text)
	}
}
