package slack

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// TestSendPacedPerChannel: a burst of outbox messages to one channel,
// sent all at once, reaches Slack no faster than the configured rate: a
// fake enforcing that rate (with two posts of slack, 200 ms, for the loopback's
// jitter) never has to answer 429, counted at the fake.
func TestSendPacedPerChannel(t *testing.T) {
	const posts = 12
	fake, err := slackfake.Start(slackfake.Options{Limits: slackfake.Limits{PerChannel: slackfake.Rate{PerSecond: 10, Burst: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	ad, err := New(Options{BotToken: "xoxb-test", SigningSecret: signingSecret, APIURL: fake.APIURL(),
		Rates: map[string]chat.Rate{paceChannel: {PerSecond: 10, Burst: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, posts)
	for i := range posts {
		wg.Go(func() {
			m := &tickets.OutboxMessage{Key: fmt.Sprint("k", i), To: tickets.Place{Platform: Platform, ChannelID: "CBURST"}, Text: fmt.Sprint("news ", i)}
			if _, err := ad.Send(context.Background(), chat.Delivery{Msg: m}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("send: %v", err)
	}
	st := fake.Stats()
	if st.Posts["CBURST"] != posts || st.Limited["chat.postMessage"] != 0 {
		t.Errorf("the fake got %d posts and refused %d; want %d posts, none refused", st.Posts["CBURST"], st.Limited["chat.postMessage"], posts)
	}
	// Without pacing the same burst is refused: the test can fail.
	unpaced, err := New(Options{BotToken: "xoxb-test", SigningSecret: signingSecret, APIURL: fake.APIURL(), Rates: map[string]chat.Rate{}})
	if err != nil {
		t.Fatal(err)
	}
	var refused sync.WaitGroup
	for i := range posts {
		refused.Go(func() {
			m := &tickets.OutboxMessage{Key: fmt.Sprint("u", i), To: tickets.Place{Platform: Platform, ChannelID: "CFLOOD"}, Text: "x"}
			_, _ = unpaced.Send(context.Background(), chat.Delivery{Msg: m})
		})
	}
	refused.Wait()
	if fake.Stats().Limited["chat.postMessage"] == 0 {
		t.Errorf("an unpaced burst of %d was never refused; the fake's limit is not enforced", posts)
	}
}
