package discord

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// threadArchiveMinutes is how long a report thread stays open without
// activity (Discord allows 60, 1440, 4320 or 10080).
const threadArchiveMinutes = 1440

// onMessage takes a MESSAGE_CREATE from the gateway. It drops what is not
// a person writing (bots, the bot itself, webhooks, system messages such
// as "thread created") and queues the rest, in order per person and
// channel; whether the message is for the help desk is decided on the
// worker, as it may need a REST lookup. It reports whether it took the
// message (recorded, or queued when it could not be), for the ack timing.
func (a *Adapter) onMessage(ctx context.Context, m *discordgo.Message, raw []byte) (taken bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return false
	}
	if m.Author.ID == a.botID() {
		return false
	}
	lane := m.ChannelID + "|" + m.Author.ID
	if a.inbox != nil && m.ID != "" {
		// The gateway has no acknowledgement to hold back: a message
		// that cannot be recorded is handled at once instead.
		first, err := a.record(ctx, "discord:message:"+m.ID, kindMessage, lane, raw)
		if err == nil {
			if !first {
				a.log.Info("discord message delivered twice; ignored", "message", m.ID)
			}
			return true
		}
		a.log.Error("discord message not recorded; handling it now", "message", m.ID, "err", err)
	}
	if err := a.lanes.submit(ctx, lane, func(ctx context.Context) { a.handleMessage(ctx, m) }); err != nil {
		a.log.Warn("discord message dropped", "message", m.ID, "err", err)
		return false
	}
	return true
}

// handleMessage runs on a worker: it finds the message's place, opening a
// thread for a new report in a help channel or on a mention, passes the
// message to the core and posts the replies there.
func (a *Adapter) handleMessage(ctx context.Context, m *discordgo.Message) {
	self := a.botID()
	mentioned := mentions(m, self)
	text := m.Content
	if mentioned {
		text = stripMention(text, self)
	}
	msg := chat.Message{EventID: m.ID, Platform: Platform, ChannelID: m.ChannelID, User: person(m.Author, m.Member), Text: text}
	post := m.ChannelID // where the replies go
	switch {
	case m.GuildID == "":
		msg.DM = true
	case a.help[m.ChannelID]:
		msg.ThreadID, post = a.openThread(ctx, m, text)
	default:
		ci, err := a.places.lookup(ctx, a.api, m.ChannelID)
		if err != nil {
			if mentioned {
				a.log.Warn("discord channel lookup", "channel", m.ChannelID, "err", err)
			}
			return
		}
		switch {
		case ci.thread && (ci.owner == self || a.help[ci.parent] || mentioned):
			msg.ChannelID, msg.ThreadID = ci.parent, m.ChannelID
		case !ci.thread && mentioned:
			msg.ThreadID, post = a.openThread(ctx, m, text)
		default:
			return // not for the help desk
		}
	}
	if strings.TrimSpace(text) == "" && mentioned {
		text = "/help" // a bare mention asks what the bot does
		msg.Text = text
	}
	replies := a.core.Handle(ctx, msg)
	if len(replies) == 0 {
		return
	}
	// The replies go out from the reply queue, in order per channel, and
	// the worker takes the next event: a REST round trip each no longer
	// holds it. The inbox finishes the event once they are out (Hold).
	a.replies.Go(ctx, post, func(ctx context.Context) {
		for n, r := range replies {
			err := a.post(ctx, post, r.Text, r.Buttons)
			if err != nil && a.queue != nil && !isPermanent(classify("reply", err)) {
				a.queueReplies(ctx, "discord:reply:"+m.ID, post, replies[n:], n)
				return
			}
			if err != nil {
				a.log.Error("discord reply", "channel", post, "message", m.ID, "err", err)
				return
			}
		}
	})
}

// queueReplies hands replies, from the nth of an event's on, to the
// outbox: one met a rate limit or a failure a retry may fix (a 5xx, the
// network), and the outbox waits it out without holding a worker, the
// later ones behind it so they stay in order. The handler's deadline may
// be what failed the post, so queueing gets time of its own.
func (a *Adapter) queueReplies(ctx context.Context, key, channel string, replies []chat.Reply, n int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueTimeout)
	defer cancel()
	for i, r := range replies {
		if strings.TrimSpace(r.Text) == "" && len(r.Buttons) == 0 {
			continue
		}
		m := &tickets.OutboxMessage{Key: key + ":" + strconv.Itoa(n+i), To: tickets.Place{Platform: Platform, ChannelID: channel},
			Text: r.Text, Buttons: r.Buttons}
		if _, err := a.queue.Enqueue(ctx, m); err != nil {
			a.log.Warn("discord rate-limited reply not queued", "channel", channel, "err", err)
		}
	}
	a.log.Info("discord replies not posted now; the outbox delivers them", "channel", channel, "replies", len(replies))
	if a.wakeOutbox != nil {
		a.wakeOutbox()
	}
}

// queueTimeout bounds handing a reply that could not be posted to the
// outbox.
const queueTimeout = 10 * time.Second

// isRateLimit reports whether err is Discord's 429.
func isRateLimit(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errGlobalLimit) {
		return true
	}
	if _, ok := errors.AsType[*discordgo.RateLimitError](err); ok {
		return true
	}
	re, ok := errors.AsType[*discordgo.RESTError](err)
	return ok && re.Response != nil && re.Response.StatusCode == http.StatusTooManyRequests
}

// openThread starts a thread on the report message and returns its ID
// both as the conversation's thread and as where to post. When Discord
// refuses (no thread permission), the intake runs in the channel itself.
func (a *Adapter) openThread(ctx context.Context, m *discordgo.Message, text string) (thread, post string) {
	name := strings.Join(strings.Fields(text), " ")
	if name == "" {
		name = "report"
	}
	th, err := a.api.MessageThreadStartComplex(m.ChannelID, m.ID, &discordgo.ThreadStart{
		Name: truncate("Help: "+name, 100), AutoArchiveDuration: threadArchiveMinutes,
	}, discordgo.WithContext(ctx))
	if err != nil {
		if restCode(err) == discordgo.ErrCodeThreadAlreadyCreatedForThisMessage {
			// A redelivered message: the thread is the message's ID.
			return m.ID, m.ID
		}
		a.log.Warn("discord thread not opened; answering in the channel", "channel", m.ChannelID, "err", err)
		return "", m.ChannelID
	}
	a.places.remember(th.ID, channelInfo{thread: true, parent: m.ChannelID, owner: a.botID()})
	return th.ID, th.ID
}

// post sends a reply to a channel or thread, split to Discord's limit.
func (a *Adapter) post(ctx context.Context, channelID, text string, buttons []tickets.Button) error {
	opts := []discordgo.RequestOption{discordgo.WithContext(ctx)}
	if a.queue != nil {
		// A 429 comes back at once, for the outbox to wait out, rather
		// than discordgo sleeping on the worker; so does a global limit
		// still running.
		if a.global.wait() > 0 {
			return errGlobalLimit
		}
		opts = append(opts, discordgo.WithRetryOnRatelimit(false))
	}
	for _, ms := range messages(text, buttons) {
		if _, err := a.api.ChannelMessageSendComplex(channelID, ms, opts...); err != nil {
			return err
		}
	}
	return nil
}

// mentions reports whether m mentions the bot.
func mentions(m *discordgo.Message, self string) bool {
	if self == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	return false
}

// stripMention removes the bot's mention (<@ID> or the older <@!ID>).
func stripMention(text, self string) string {
	text = strings.ReplaceAll(text, "<@"+self+">", "")
	text = strings.ReplaceAll(text, "<@!"+self+">", "")
	return strings.TrimSpace(text)
}

// person is the help desk's view of a Discord user: their server nickname
// or display name, a mention as the way to reach them, and their roles for
// agent matching.
func person(u *discordgo.User, member *discordgo.Member) tickets.Person {
	p := tickets.Person{Platform: Platform, UserID: u.ID, Name: u.GlobalName, Contact: "<@" + u.ID + ">"}
	if p.Name == "" {
		p.Name = u.Username
	}
	if member != nil {
		if member.Nick != "" {
			p.Name = member.Nick
		}
		p.Groups = member.Roles
	}
	return p
}
