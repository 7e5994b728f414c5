package slack

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// defaultSends is how many posting calls may be on their way to Slack at
// once.
const defaultSends = 64

// replyTimeout bounds the posting of one event's replies, from being
// queued: pacing, Retry-After and earlier replies of the conversation
// included.
const replyTimeout = chat.ReplyTimeout

// deliver hands the core's replies to an event to the reply queue and
// returns at once: the worker goes on to the next event while they are
// posted (deliverNow), in order with the earlier replies to the same
// place, paced under Slack's limits.
func (a *Adapter) deliver(ctx context.Context, to replyTo, replies []chat.Reply) {
	if len(replies) == 0 {
		return
	}
	a.replies.Go(ctx, to.lane(), func(ctx context.Context) { a.deliverNow(ctx, to, replies) })
}

// lane is the conversation replies go to: they keep their order there.
func (to replyTo) lane() string {
	if to.responseURL != "" && to.private {
		return "response:" + to.user + ":" + to.channel
	}
	return to.channel + ":" + to.thread + ":" + to.user
}

// Flush waits until every reply handed over so far has been posted (or
// given up), for shutdown and tests.
func (a *Adapter) Flush() { a.replies.Wait() }
