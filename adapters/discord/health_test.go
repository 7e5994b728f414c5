package discord

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Health follows the REST API too, not only the gateway: a token Discord
// stops taking shows at the next /users/@me or delivery, and clears when
// a call succeeds.
func TestHealthFollowsTheRESTAPI(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	s, err := NewSession("tok", 0, 1, &http.Client{Transport: f.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	a := New(Config{}, s, nil, nil, nil, Options{HealthInterval: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	defer func() { cancel(); <-done }()
	if err := a.Health(); err != nil {
		t.Fatalf("health = %v before any call", err)
	}
	accepted := f.AddFault(discordfake.Fault{Method: "GET", Path: "/users/@me", Status: 401, Body: `{"message": "401: Unauthorized", "code": 0}`})
	waitFor(t, func() bool {
		err := a.Health()
		return err != nil && strings.Contains(err.Error(), "DISCORD_BOT_TOKEN")
	})
	accepted()
	waitFor(t, func() bool { return a.Health() == nil })

	// A delivery Discord cannot take: a server error says Discord is down,
	// a missing channel says nothing against Discord.
	up := f.AddFault(discordfake.Fault{Method: "GET", Path: "/users/@me", Status: 500, Body: `{"message": "internal error", "code": 0}`})
	f.AddFault(discordfake.Fault{Method: "POST", Path: "/messages", N: 1, Status: 500, Body: `{"message": "internal error", "code": 0}`})
	to := chat.Delivery{Msg: &tickets.OutboxMessage{Key: "k1", To: tickets.Place{Platform: Platform, ChannelID: discordfake.Triage}, Text: "ticket 1"}}
	if _, err := a.Send(ctx, to); err == nil {
		t.Fatal("delivery during an outage succeeded")
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("health after a 500 = %v", err)
	}
	up()
	waitFor(t, func() bool { return a.Health() == nil })
	gone := chat.Delivery{Msg: &tickets.OutboxMessage{Key: "k2", To: tickets.Place{Platform: Platform, ChannelID: "999999"}, Text: "ticket 2"}}
	if _, err := a.Send(ctx, gone); err == nil {
		t.Fatal("delivery to a missing channel succeeded")
	}
	if err := a.Health(); err != nil {
		t.Errorf("health after a missing channel = %v, want ok", err)
	}
}
