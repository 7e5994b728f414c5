package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// In HTTP mode nothing but the Web API tells whether Slack takes the bot
// token: Health follows auth.test and every delivery, instead of saying
// ok while the token is refused.
func TestHealthFollowsTheWebAPI(t *testing.T) {
	f := newFakeSlack(t, slackfake.Options{})
	f.Fail("auth.test", 2, slackfake.Fault{Error: "invalid_auth"})
	a, err := New(Options{BotToken: "xoxb-test", SigningSecret: signingSecret, APIURL: f.APIURL(), HealthInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "not been checked") {
		t.Errorf("health before Run = %v, want not checked yet", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitHealth(t, a, "the refused token", func(err error) bool { return err != nil && strings.Contains(err.Error(), "invalid_auth") })
	waitHealth(t, a, "auth.test to succeed", func(err error) bool { return err == nil })

	// The token revoked while the bot runs: the next delivery says so, and
	// so does every auth.test until it is fixed.
	f.Fail("chat.postMessage", 1, slackfake.Fault{Error: "token_revoked"})
	f.Fail("auth.test", -1, slackfake.Fault{Error: "token_revoked"})
	to := chat.Delivery{Msg: &tickets.OutboxMessage{To: tickets.Place{Platform: Platform, ChannelID: "CTRIAGE"}, Text: "ticket 1"}}
	if _, err := a.Send(ctx, to); err == nil {
		t.Fatal("delivery with a revoked token succeeded")
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "token_revoked") || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
		t.Errorf("health after a refused delivery = %v", err)
	}
	time.Sleep(100 * time.Millisecond) // several auth.test rounds
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "token_revoked") {
		t.Errorf("health while auth.test keeps failing = %v", err)
	}
	f.ClearFaults("auth.test")
	waitHealth(t, a, "the new token to be taken", func(err error) bool { return err == nil })

	// A refusal about the message itself says nothing against Slack or the
	// token; Slack failing does.
	f.Fail("chat.postMessage", 1, slackfake.Fault{Error: "channel_not_found"})
	if _, err := a.Send(ctx, to); err == nil {
		t.Fatal("delivery to a missing channel succeeded")
	}
	if err := a.Health(); err != nil {
		t.Errorf("health after channel_not_found = %v, want ok", err)
	}
	f.Fail("chat.postMessage", 1, slackfake.Fault{Status: 503})
	f.Fail("auth.test", -1, slackfake.Fault{Status: 503}) // the outage is Slack's whole
	if _, err := a.Send(ctx, to); err == nil {
		t.Fatal("delivery during a Slack outage succeeded")
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("health after a 503 = %v", err)
	}
	f.ClearFaults("auth.test")
	if _, err := a.Send(ctx, to); err != nil {
		t.Fatal(err)
	}
	if err := a.Health(); err != nil {
		t.Errorf("health after a delivery went through = %v", err)
	}
}

func waitHealth(t *testing.T, a *Adapter, what string, ok func(error) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok(a.Health()) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: health = %v", what, a.Health())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
