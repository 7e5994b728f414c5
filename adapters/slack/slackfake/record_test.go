package slackfake

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// TestFaultsAndRecord: scripted faults reach the real client as Slack's
// answers, in order, until used up or cleared; every call is recorded
// with its status, every post and edit too, and Wait sees them.
func TestFaultsAndRecord(t *testing.T) {
	s, err := Start(Options{Record: true, Users: map[string]User{"UA": {Name: "Alice Archer", Email: "alice@example.com"}},
		Channels: map[string]bool{"CIN": true, "COUT": false}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	ctx := context.Background()

	s.Fail("chat.postMessage", 1, Fault{Status: 429, RetryAfter: 2})
	s.Fail("chat.postMessage", 1, Fault{Error: "channel_not_found"})
	_, _, err = c.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("first post: %v, want rate limited for 2s", err)
	}
	if _, _, err = c.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false)); err == nil || err.Error() != "channel_not_found" {
		t.Fatalf("second post: %v, want channel_not_found", err)
	}
	_, ts, err := c.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	if err != nil {
		t.Fatalf("third post, the faults used up: %v", err)
	}
	if _, _, _, err := c.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("edited", false)); err != nil {
		t.Fatal(err)
	}
	s.Fail("auth.test", -1, Fault{Status: 503})
	for range 3 {
		if _, err := c.AuthTestContext(ctx); err == nil {
			t.Fatal("auth.test through a standing fault")
		}
	}
	s.ClearFaults("auth.test")
	if _, err := c.AuthTestContext(ctx); err != nil {
		t.Fatalf("auth.test after ClearFaults: %v", err)
	}
	var statuses []int
	for _, call := range s.Calls() {
		statuses = append(statuses, call.Status)
	}
	if want := []int{429, 200, 200, 200, 503, 503, 503, 200}; !slices.Equal(statuses, want) {
		t.Errorf("call statuses %v, want %v", statuses, want)
	}
	posts := s.Posts(0)
	if len(posts) != 2 || posts[0].Method != "chat.postMessage" || posts[1].Method != "chat.update" || posts[1].Edits != 1 {
		t.Errorf("posts = %+v, want the post and its edit", posts)
	}
	if m, ok := s.Message("C1", ts); !ok || m.Text != "edited" || m.Edits != 1 {
		t.Errorf("message = %+v, %v; want it edited once", m, ok)
	}

	// Wait sees a post made after it started.
	go func() { _, _, _ = c.PostMessageContext(ctx, "C2", slack.MsgOptionText("later", false)) }()
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.Wait(wctx, func() bool { return len(s.Posts(2)) == 1 }); err != nil {
		t.Fatal(err)
	}

	// The workspace: a known person, a made-up one, channel membership.
	if u, err := c.GetUserInfoContext(ctx, "UA"); err != nil || u.RealName != "Alice Archer" || u.Profile.Email != "alice@example.com" {
		t.Errorf("users.info UA = %+v, %v", u, err)
	}
	if u, err := c.GetUserInfoContext(ctx, "UZ"); err != nil || u.RealName != "Employee UZ" {
		t.Errorf("users.info UZ = %+v, %v", u, err)
	}
	for ch, want := range map[string]string{"CIN": "", "COUT": "not_in_channel", "CNONE": "channel_not_found"} {
		_, err := c.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch})
		if got := errString(err); got != want {
			t.Errorf("conversations.history %s: %q, want %q", ch, got, want)
		}
	}
}

// TestAcksAndConnections: an ack's payload is kept by envelope, a dropped
// connection counts, and the next one is a new connection.
func TestAcksAndConnections(t *testing.T) {
	s, err := Start(Options{Record: true, Ping: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	url := "ws://" + strings.TrimPrefix(strings.TrimSuffix(s.APIURL(), "/api/"), "http://") + "/ws"
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := s.Command("U1", "C1", "/desk", "help")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteJSON(map[string]any{"envelope_id": id, "payload": map[string]string{"text": "ok"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Wait(ctx, func() bool { _, ok := s.Ack(id); return ok }); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Ack(id); string(a.Payload) != `{"text":"ok"}` {
		t.Errorf("ack payload %s", a.Payload)
	}
	s.Drop()
	if _, err := s.Send("events_api", map[string]any{}); err == nil {
		t.Error("sent with no connection")
	}
	c2, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := s.Wait(ctx, func() bool { return s.Connections() == 2 }); err != nil {
		t.Fatal(err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
