package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Send delivers one outbox message (chat.Sender). A triage card (a channel
// message with buttons, and every edit of one) is an embed with buttons;
// everything else is plain text split to Discord's limit. The reference
// returned is "channelID:messageID" of the first message posted.
//
// Posts carry a nonce derived from the outbox key with enforce_nonce, so
// when Discord took a message but the answer was lost, the retry returns
// the message already posted instead of posting it twice.
func (a *Adapter) Send(ctx context.Context, d chat.Delivery) (ref string, err error) {
	defer func() { a.noteAPI(err) }()
	if wait := a.global.wait(); wait > 0 {
		return "", chat.RetryAfter(errGlobalLimit, wait)
	}
	m := d.Msg
	if d.EditRef != "" {
		return d.EditRef, a.editCard(ctx, d.EditRef, m)
	}
	var sends []*discordgo.MessageSend
	if m.UserID == "" && len(m.Buttons) > 0 && d.ThreadRef == "" {
		sends = []*discordgo.MessageSend{{Embeds: []*discordgo.MessageEmbed{embed(m.Text)}, Components: components(m.Buttons), AllowedMentions: noMentions()}}
	} else {
		sends = messages(m.Text, m.Buttons)
	}
	if ms := mentionSend(m.Mentions); ms != nil {
		sends = append([]*discordgo.MessageSend{ms}, sends...)
	}
	var channel string
	switch {
	case d.ThreadRef != "":
		ch, msg, ok := parseRef(d.ThreadRef)
		if !ok {
			return "", chat.Permanent(fmt.Errorf("discord: thread reference %q is not channel:message", d.ThreadRef))
		}
		return a.postInThread(ctx, ch, msg, m, sends)
	case m.To.ThreadID != "":
		channel = m.To.ThreadID
	case m.To.ChannelID != "":
		channel = m.To.ChannelID
	case m.UserID != "":
		dm, err := a.dmChannel(ctx, m.UserID)
		if err != nil {
			return "", classify("open dm", err)
		}
		channel = dm
	default:
		return "", chat.Permanent(errors.New("discord: outbox message has neither a channel nor a user"))
	}
	return a.postAll(ctx, channel, m.Key, sends)
}

// postAll posts the pieces of one outbox message in order and returns the
// reference of the first.
func (a *Adapter) postAll(ctx context.Context, channel, key string, sends []*discordgo.MessageSend) (string, error) {
	ref := ""
	for n, s := range sends {
		msg, err := a.postOnce(ctx, channel, nonce(key, n), s)
		if err != nil {
			return "", classify("post", err)
		}
		if ref == "" {
			ref = channel + ":" + msg.ID
		}
	}
	return ref, nil
}

// withNonce is a message post with Discord's idempotency nonce, which
// discordgo's MessageSend lacks.
type withNonce struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
}

// postOnce posts one message without discordgo sleeping on a rate limit:
// the outbox waits instead, and keeps its other lanes going.
func (a *Adapter) postOnce(ctx context.Context, channel, nonce string, s *discordgo.MessageSend) (*discordgo.Message, error) {
	endpoint := discordgo.EndpointChannelMessages(channel)
	body, err := a.api.RequestWithBucketID(http.MethodPost, endpoint, withNonce{MessageSend: s, Nonce: nonce, EnforceNonce: true}, endpoint,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(body, &msg); err != nil {
		return nil, fmt.Errorf("read posted message: %w", err)
	}
	return &msg, nil
}

// nonce is a stable 25-character nonce (Discord's maximum) for piece n of
// the outbox message key.
func nonce(key string, n int) string {
	h := sha256.Sum256([]byte(key + "#" + strconv.Itoa(n)))
	return hex.EncodeToString(h[:])[:25]
}

// editCard replaces a card in place with m's text and buttons; a card
// without buttons (a closed ticket) loses them.
func (a *Adapter) editCard(ctx context.Context, ref string, m *tickets.OutboxMessage) error {
	ch, id, ok := parseRef(ref)
	if !ok {
		return chat.Permanent(fmt.Errorf("discord: edit reference %q is not channel:message", ref))
	}
	comps := components(m.Buttons)
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	embeds := []*discordgo.MessageEmbed{embed(m.Text)}
	edit := discordgo.NewMessageEdit(ch, id)
	edit.Embeds, edit.Components, edit.AllowedMentions = &embeds, &comps, noMentions()
	if _, err := a.api.ChannelMessageEditComplex(edit, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)); err != nil {
		return classify("edit card", err)
	}
	return nil
}

// postInThread posts in the thread of message msg of channel ch. A thread
// started on a message has the message's ID, so the post goes there
// first; when Discord knows no such channel the thread is started. Where
// threads cannot be started (a DM, no permission) the post becomes a reply
// to the message instead.
func (a *Adapter) postInThread(ctx context.Context, ch, msg string, m *tickets.OutboxMessage, sends []*discordgo.MessageSend) (string, error) {
	ref, err := a.postAll(ctx, msg, m.Key, sends)
	if err == nil || restCode(err) != discordgo.ErrCodeUnknownChannel {
		return ref, err
	}
	name := "Ticket history"
	if m.TicketID != 0 {
		name = fmt.Sprintf("Ticket #%d", m.TicketID)
	}
	_, terr := a.api.MessageThreadStartComplex(ch, msg, &discordgo.ThreadStart{Name: name, AutoArchiveDuration: 10080},
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	switch {
	case terr == nil, restCode(terr) == discordgo.ErrCodeThreadAlreadyCreatedForThisMessage:
		a.places.remember(msg, channelInfo{thread: true, parent: ch, owner: a.botID()})
		return a.postAll(ctx, msg, m.Key, sends)
	case isPermanent(classify("", terr)):
		a.log.Warn("discord thread not started; replying to the message instead", "channel", ch, "err", terr)
		for _, s := range sends {
			s.Reference = &discordgo.MessageReference{MessageID: msg, ChannelID: ch}
		}
		return a.postAll(ctx, ch, m.Key, sends)
	}
	return "", classify("start thread", terr)
}

// parseRef splits "channel:message".
func parseRef(ref string) (channel, message string, ok bool) {
	channel, message, ok = strings.Cut(ref, ":")
	return channel, message, ok && channel != "" && message != ""
}

// classify maps a discordgo error to the dispatcher's retry policy: a rate
// limit waits as long as Discord says; a request Discord refuses for good
// (400 bad form body, 403 missing access, 404 unknown channel) is
// permanent; anything else (5xx, network) is retried with backoff.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var perm *chat.PermanentError
	var retry *chat.RetryError
	if errors.As(err, &perm) || errors.As(err, &retry) {
		return err // classified already
	}
	wrapped := fmt.Errorf("discord: %s: %w", op, err)
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return chat.RetryAfter(wrapped, max(rl.RetryAfter, 50*time.Millisecond))
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch re.Response.StatusCode {
		case http.StatusTooManyRequests:
			d, perr := strconv.ParseFloat(re.Response.Header.Get("Retry-After"), 64)
			if perr != nil || d <= 0 {
				d = 1
			}
			return chat.RetryAfter(wrapped, time.Duration(d*float64(time.Second)))
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			return chat.Permanent(wrapped)
		}
	}
	return wrapped
}

// isPermanent reports whether err is marked permanent.
func isPermanent(err error) bool {
	var p *chat.PermanentError
	return errors.As(err, &p)
}

// restCode is Discord's JSON error code in err, or 0.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}
