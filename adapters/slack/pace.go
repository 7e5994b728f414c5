package slack

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// The pacing classes of Slack's Web API (api.slack.com/apis/rate-limits).
const (
	// paceChannel is chat.postMessage's special limit: about one message
	// a second per channel, short bursts allowed. Ephemeral messages count
	// against it here too.
	paceChannel = "channel"
	// paceTier3 is a Tier 3 method, 50+ calls a minute per workspace:
	// chat.update.
	paceTier3 = "tier3"
)

// DefaultRates are the limits Slack documents for the calls that post:
// one message a second per channel with bursts of 3, and Tier 3's 50 a
// minute (with a minute's worth at once, Slack's "50+") for edits.
// Lookups (users.info, usergroups.users.list, conversations.open, each
// cached) and views.open are not paced: they run while an event is
// handled, and a modal's trigger expires in 3 s; a lookup Slack refuses
// falls back to what the adapter knows.
func DefaultRates() map[string]chat.Rate {
	return Rates(DefaultPostsPerSecond, DefaultPostBurst, DefaultUpdatesPerMinute)
}

// The documented limits DefaultRates paces to.
const (
	DefaultPostsPerSecond   = 1.0
	DefaultPostBurst        = 3
	DefaultUpdatesPerMinute = 50.0
)

// Rates paces posts to postsPerSecond per channel with bursts of burst,
// and message edits to updatesPerMinute for the workspace (with a
// minute's worth at once).
func Rates(postsPerSecond float64, burst int, updatesPerMinute float64) map[string]chat.Rate {
	return map[string]chat.Rate{
		paceChannel: {PerSecond: postsPerSecond, Burst: burst},
		paceTier3:   {PerSecond: updatesPerMinute / 60, Burst: max(1, int(updatesPerMinute))},
	}
}

// pacedAPI spaces the posting calls of api under Slack's limits before
// Slack has to answer 429, and then bounds how many are in flight (calls
// holds a token per call): a call waiting for its turn takes no slot from
// the others. It is used from the outbox dispatcher and the reply queue,
// never from a worker handling an event.
type pacedAPI struct {
	api
	pace  *chat.Pacer
	calls chan struct{}
}

// turn waits for key's turn and a free slot; done gives the slot back.
func (p pacedAPI) turn(ctx context.Context, key chat.PaceKey) (done func(), err error) {
	if err := p.pace.Wait(ctx, key); err != nil {
		return nil, err
	}
	select {
	case p.calls <- struct{}{}:
		return func() { <-p.calls }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("slack: waiting for a free sender: %w", ctx.Err())
	}
}

func (p pacedAPI) PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error) {
	done, err := p.turn(ctx, chat.PaceKey{Class: paceChannel, ID: channelID})
	if err != nil {
		return "", "", err
	}
	defer done()
	return p.api.PostMessageContext(ctx, channelID, options...)
}

func (p pacedAPI) PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error) {
	done, err := p.turn(ctx, chat.PaceKey{Class: paceChannel, ID: channelID})
	if err != nil {
		return "", err
	}
	defer done()
	return p.api.PostEphemeralContext(ctx, channelID, userID, options...)
}

func (p pacedAPI) UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error) {
	done, err := p.turn(ctx, chat.PaceKey{Class: paceTier3, ID: "chat.update"})
	if err != nil {
		return "", "", "", err
	}
	defer done()
	return p.api.UpdateMessageContext(ctx, channelID, timestamp, options...)
}

// PostResponse answers through a response_url; it is not paced (each URL
// is used once), only counted among the calls in flight.
func (p pacedAPI) PostResponse(ctx context.Context, url string, msg *slack.WebhookMessage) error {
	select {
	case p.calls <- struct{}{}:
		defer func() { <-p.calls }()
	case <-ctx.Done():
		return fmt.Errorf("slack: waiting for a free sender: %w", ctx.Err())
	}
	return p.api.PostResponse(ctx, url, msg)
}
