package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/slack-go/slack"
)

// Send delivers one outbox message (chat.Sender): a new post, a post in the
// thread of an earlier one, or an earlier one edited in place. It returns
// the message's reference, "channel:ts" (of the first page when a long
// message is paged). A Slack rate limit asks the dispatcher to wait
// Retry-After; errors retrying cannot fix are permanent.
func (a *Adapter) Send(ctx context.Context, d chat.Delivery) (ref string, err error) {
	defer func() { a.noteAPI("delivery", err) }()
	m := d.Msg
	if d.EditRef != "" {
		ch, ts, ok := splitRef(d.EditRef)
		if !ok {
			return "", chat.Permanent(fmt.Errorf("slack: edit: bad message reference %q", d.EditRef))
		}
		err := shortenOnce(func(budget int) error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, ch, ts, pageOptions(pages(m.Text, m.Buttons, budget, 1)[0])...)
			return err
		})
		if err != nil {
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
	ref, err = a.postPages(ctx, channel, thread, m.Text, m.Buttons, m.Mentions)
	if err != nil {
		return "", classify("chat.postMessage", err)
	}
	return ref, nil
}

// postPages posts a message paged to Slack's limits, in order, and
// returns the reference of the first page. Once a page is posted a later
// failure is only logged: retrying the whole message would post the first
// pages twice.
// mentions, user IDs to notify, lead the first page.
func (a *Adapter) postPages(ctx context.Context, channel, thread, text string, buttons []tickets.Button, mentions []string) (string, error) {
	ref := ""
	var posted int
	err := shortenOnce(func(budget int) error {
		ps := pages(text, buttons, budget, maxPages)
		for n := posted; n < len(ps); n++ {
			p := ps[n]
			if n == 0 && len(mentions) > 0 {
				p = withMentions(mentions, p)
			}
			opts := pageOptions(p)
			if thread != "" {
				opts = append(opts, slack.MsgOptionTS(thread))
			}
			ch, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
			if err != nil {
				return err
			}
			if ref == "" {
				ref = ch + ":" + ts
			}
			posted = n + 1
		}
		return nil
	})
	if err != nil && ref != "" {
		a.log.Warn("slack: rest of a long message not posted", "channel", channel, "posted_pages", posted, "err", err)
		return ref, nil
	}
	return ref, err
}

// shortenOnce runs post with the full block-text budget and, when Slack
// answers msg_blocks_too_long (its undocumented limit moved under ours),
// once more with half of it. A second refusal is returned: classify makes
// it permanent.
func shortenOnce(post func(budget int) error) error {
	err := post(maxBlockText)
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && se.Err == "msg_blocks_too_long" {
		return post(maxBlockText / 2)
	}
	return err
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
	// Sent only after shortenOnce tried a shorter version.
	"msg_blocks_too_long": true,
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
	// key names the replies for the outbox when Slack rate-limits them
	// ("" when the event has no ID: they are retried here instead).
	key string
}

// replyKey joins an event's ID into a replyTo key; "" when id is.
func replyKey(prefix, id string, suffix ...string) string {
	if id == "" {
		return ""
	}
	return prefix + id + strings.Join(suffix, "")
}

// maxReplyAttempts bounds the tries of one direct reply against rate
// limits when there is no outbox to hand it to.
const maxReplyAttempts = 3

// maxReplyWait bounds one wait on Retry-After for a direct reply.
const maxReplyWait = 10 * time.Second

// queueTimeout bounds handing a reply that could not be posted to the
// outbox.
const queueTimeout = 10 * time.Second

// deliverNow posts the core's replies to the sender of an event, in order,
// from the reply queue (replies.go). A reply Slack rate-limits, that the
// pacer cannot post before its deadline, or that fails in a way a retry
// may fix (a 5xx, the network, a timeout) is not waited for: it and the
// ones after it (so they stay in order) go to the outbox, which waits
// Retry-After or backs off and keeps its other conversations going. A
// refusal no retry can fix is logged.
func (a *Adapter) deliverNow(ctx context.Context, to replyTo, replies []chat.Reply) {
	for n, r := range replies {
		if strings.TrimSpace(r.Text) == "" && len(r.Buttons) == 0 {
			continue
		}
		err := a.reply(ctx, to, r)
		if err != nil && a.queue != nil && to.key != "" && !chat.IsPermanent(classify("reply", err)) {
			a.queueReplies(ctx, to, replies[n:], n)
			return
		}
		_, limited := errors.AsType[*slack.RateLimitedError](err)
		if _, paced := chat.RetryDelay(err); limited || paced {
			err = a.withRetry(ctx, func() error { return a.reply(ctx, to, r) })
		}
		if err != nil {
			a.log.Warn("slack: reply not delivered", "channel", to.channel, "user", to.user, "err", err)
		}
	}
}

// queueReplies hands replies, from the nth of an event's on, to the
// outbox. An ephemeral one goes to the person's DM: the outbox posts
// messages everyone in a channel would see. The send's deadline may be
// what failed it, so queueing gets time of its own.
func (a *Adapter) queueReplies(ctx context.Context, to replyTo, replies []chat.Reply, n int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueTimeout)
	defer cancel()
	for i, r := range replies {
		if strings.TrimSpace(r.Text) == "" && len(r.Buttons) == 0 {
			continue
		}
		m := &tickets.OutboxMessage{Key: "slack:reply:" + to.key + ":" + strconv.Itoa(n+i), To: tickets.Place{Platform: Platform},
			Text: r.Text, Buttons: r.Buttons}
		switch {
		case r.Ephemeral || to.private || to.channel == "":
			m.UserID = to.user
		default:
			m.To.ChannelID, m.To.ThreadID = to.channel, to.thread
		}
		if _, err := a.queue.Enqueue(ctx, m); err != nil {
			a.log.Warn("slack: rate-limited reply not queued", "channel", to.channel, "user", to.user, "err", err)
		}
	}
	a.log.Info("slack: replies not posted now; the outbox delivers them", "user", to.user, "replies", len(replies))
	if a.wakeOutbox != nil {
		a.wakeOutbox()
	}
}

// reply posts one reply.
func (a *Adapter) reply(ctx context.Context, to replyTo, r chat.Reply) error {
	ephemeral := r.Ephemeral || to.private
	if ephemeral && to.responseURL != "" {
		err := shortenOnce(func(budget int) error {
			p := pages(r.Text, r.Buttons, budget, 1)[0]
			return a.api.PostResponse(ctx, to.responseURL, &slack.WebhookMessage{Text: p.text, Blocks: &slack.Blocks{BlockSet: p.blocks}, ResponseType: slack.ResponseTypeEphemeral})
		})
		if err != nil {
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
	if ephemeral && !to.dm && channel != "" && channel == to.channel {
		err := shortenOnce(func(budget int) error {
			opts := pageOptions(pages(r.Text, r.Buttons, budget, 1)[0])
			if to.thread != "" {
				opts = append(opts, slack.MsgOptionTS(to.thread))
			}
			_, err := a.api.PostEphemeralContext(ctx, channel, to.user, opts...)
			return err
		})
		if err != nil {
			return fmt.Errorf("slack: chat.postEphemeral: %w", err)
		}
		return nil
	}
	if _, err := a.postPages(ctx, channel, to.thread, r.Text, r.Buttons, nil); err != nil {
		return fmt.Errorf("slack: chat.postMessage: %w", err)
	}
	return nil
}

// withRetry runs fn, and again after Slack's Retry-After when it is rate
// limited, a few times at most. Only replies with no outbox to go to wait
// here (events without an ID, an adapter built without one).
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
