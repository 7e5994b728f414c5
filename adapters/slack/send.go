package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/slack-go/slack"
)

// Send delivers one outbox message (chat.Sender): a new post, a post in the
// thread of an earlier one, or an earlier one edited in place. It returns
// the message's reference, "channel:ts". A Slack rate limit asks the
// dispatcher to wait Retry-After; errors retrying cannot fix are permanent.
func (a *Adapter) Send(ctx context.Context, d chat.Delivery) (ref string, err error) {
	defer func() { a.noteAPI("delivery", err) }()
	m := d.Msg
	opts := msgOptions(m.Text, m.Buttons)
	if len(m.Mentions) > 0 && d.EditRef == "" {
		opts = withMentions(m.Mentions, m.Text, m.Buttons)
	}
	if d.EditRef != "" {
		ch, ts, ok := splitRef(d.EditRef)
		if !ok {
			return "", chat.Permanent(fmt.Errorf("slack: edit: bad message reference %q", d.EditRef))
		}
		if _, _, _, err := a.api.UpdateMessageContext(ctx, ch, ts, opts...); err != nil {
			return "", classify("chat.update", err)
		}
		return d.EditRef, nil
	}
	channel, thread := m.To.ChannelID, m.To.ThreadID
	if d.ThreadRef != "" {
		ch, ts, ok := splitRef(d.ThreadRef)
		if !ok {
			return "", chat.Permanent(fmt.Errorf("slack: thread: bad message reference %q", d.ThreadRef))
		}
		channel, thread = ch, ts
	}
	if channel == "" {
		if m.UserID == "" {
			return "", chat.Permanent(errors.New("slack: message has neither a channel nor a user"))
		}
		dm, err := a.dir.dm(ctx, m.UserID)
		if err != nil {
			return "", classify("conversations.open", err)
		}
		channel = dm
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	ch, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", classify("chat.postMessage", err)
	}
	return ch + ":" + ts, nil
}

// splitRef reads a "channel:ts" reference.
func splitRef(ref string) (channel, ts string, ok bool) {
	channel, ts, ok = strings.Cut(ref, ":")
	return channel, ts, ok && channel != "" && ts != ""
}

// permanentErrors are Slack error codes that no retry can fix: the place
// is gone or closed to the bot, or the message itself is refused. Token and
// scope problems are not here: an admin fixing the app lets the queued
// messages through.
var permanentErrors = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true,
	"msg_too_long": true, "no_text": true, "invalid_blocks": true, "invalid_blocks_format": true,
	"too_many_attachments": true, "message_not_found": true, "cant_update_message": true,
	"edit_window_closed": true, "user_not_found": true, "user_not_visible": true,
	"cannot_dm_bot": true, "user_disabled": true, "restricted_action": true,
	"restricted_action_read_only_channel": true, "restricted_action_thread_only_channel": true,
	"restricted_action_non_threadable_channel": true, "thread_reply_not_available": true,
	"invalid_arguments": true, "channel_type_not_supported": true,
}

// minRetryAfter is the least wait after a rate limit, for a Retry-After of 0.
const minRetryAfter = time.Second

// classify wraps a Slack error for the dispatcher: RetryAfter for a rate
// limit, Permanent for refusals, a plain error (retried with backoff) for
// server errors and the network.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	wrapped := fmt.Errorf("slack: %s: %w", op, err)
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return chat.RetryAfter(wrapped, max(rl.RetryAfter, minRetryAfter))
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && permanentErrors[se.Err] {
		return chat.Permanent(wrapped)
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok && sc.Code >= 400 && sc.Code < 500 &&
		sc.Code != http.StatusTooManyRequests && sc.Code != http.StatusRequestTimeout {
		return chat.Permanent(wrapped)
	}
	return wrapped
}

// replyTo is where the replies to one inbound event go.
type replyTo struct {
	channel string // "" means the user's DM
	thread  string
	user    string
	dm      bool
	// responseURL answers a slash command; ephemeral replies go there.
	responseURL string
	// private makes every reply ephemeral: an agent's button press or
	// form is answered to the agent alone.
	private bool
}

// maxReplyAttempts bounds the tries of one direct reply against rate
// limits; the outbox, not this loop, is the place for long retries.
const maxReplyAttempts = 3

// maxReplyWait bounds one wait on Retry-After for a direct reply.
const maxReplyWait = 10 * time.Second

// deliver posts the core's replies to the sender of an event, in order.
// Failures are logged: the person can ask again, and nothing durable
// depends on a direct reply.
func (a *Adapter) deliver(ctx context.Context, to replyTo, replies []chat.Reply) {
	for _, r := range replies {
		if strings.TrimSpace(r.Text) == "" && len(r.Buttons) == 0 {
			continue
		}
		if err := a.withRetry(ctx, func() error { return a.reply(ctx, to, r) }); err != nil {
			a.log.Warn("slack: reply not delivered", "channel", to.channel, "user", to.user, "err", err)
		}
	}
}

// reply posts one reply.
func (a *Adapter) reply(ctx context.Context, to replyTo, r chat.Reply) error {
	ephemeral := r.Ephemeral || to.private
	if ephemeral && to.responseURL != "" {
		if err := a.api.PostResponse(ctx, to.responseURL, webhookMessage(r.Text, r.Buttons, true)); err != nil {
			return fmt.Errorf("slack: response_url: %w", err)
		}
		return nil
	}
	channel := to.channel
	if channel == "" {
		dm, err := a.dir.dm(ctx, to.user)
		if err != nil {
			return err
		}
		channel = dm
	}
	opts := msgOptions(r.Text, r.Buttons)
	if to.thread != "" {
		opts = append(opts, slack.MsgOptionTS(to.thread))
	}
	if ephemeral && !to.dm && channel != "" && channel == to.channel {
		if _, err := a.api.PostEphemeralContext(ctx, channel, to.user, opts...); err != nil {
			return fmt.Errorf("slack: chat.postEphemeral: %w", err)
		}
		return nil
	}
	if _, _, err := a.api.PostMessageContext(ctx, channel, opts...); err != nil {
		return fmt.Errorf("slack: chat.postMessage: %w", err)
	}
	return nil
}

// withRetry runs fn, and again after Slack's Retry-After when it is rate
// limited, a few times at most.
func (a *Adapter) withRetry(ctx context.Context, fn func() error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = fn()
		rl, limited := errors.AsType[*slack.RateLimitedError](err)
		if !limited || attempt == maxReplyAttempts {
			return err
		}
		if err := a.sleep(ctx, min(max(rl.RetryAfter, minRetryAfter), maxReplyWait)); err != nil {
			return err
		}
	}
}
