package slackfake

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// TestLimits: over a channel's limit the real client gets Slack's 429
// with Retry-After; other channels and, once the clock moves, the same
// channel are served again.
func TestLimits(t *testing.T) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	var posts int
	s, err := Start(Options{Now: clock, OnPost: func(Post) { posts++ },
		Limits: Limits{PerChannel: Rate{PerSecond: 1, Burst: 3}, Tiers: SlackTiers()}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	ctx := context.Background()
	post := func(ch string) error {
		_, _, err := c.PostMessageContext(ctx, ch, slack.MsgOptionText("hi", false))
		return err
	}
	for i := range 3 {
		if err := post("C1"); err != nil {
			t.Fatalf("post %d within the burst: %v", i+1, err)
		}
	}
	err = post("C1")
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("4th post to C1 = %v; want rate limited, retry after 1s", err)
	}
	if err := post("C2"); err != nil {
		t.Errorf("another channel: %v", err)
	}
	now = now.Add(time.Second)
	if err := post("C1"); err != nil {
		t.Errorf("C1 a second later: %v", err)
	}
	st := s.Stats()
	if st.Calls["chat.postMessage"] != 6 || st.Limited["chat.postMessage"] != 1 || posts != 5 || st.Posts["C1"] != 4 {
		t.Errorf("stats = %+v, posts heard %d; want 6 calls, 1 refused, 5 posts (4 in C1)", st, posts)
	}
	// chat.update is tier 3: a minute's worth (50) at once, then refused.
	for i := range 51 {
		_, _, _, err := c.UpdateMessageContext(ctx, "C1", "1.1", slack.MsgOptionText("x", false))
		if limited := errors.As(err, &rl); limited != (i == 50) {
			t.Errorf("update %d: %v", i+1, err)
		}
	}
}
