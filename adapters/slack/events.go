package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack/slackevents"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// inbound is a message event reduced to what the help desk reads; it is
// what the inbox records of it.
type inbound struct {
	EventID string `json:"event_id,omitempty"`
	Channel string `json:"channel"`
	Thread  string `json:"thread,omitempty"` // the conversation's thread: "" in a DM, else the post's thread
	User    string `json:"user"`
	Text    string `json:"text"`
	DM      bool   `json:"dm,omitempty"`
	// Unsure is a reply in a thread the adapter does not know it follows:
	// the core is asked whether the person has business there.
	Unsure bool `json:"unsure,omitempty"`
}

// eventsAPI takes one Events API callback before it is acknowledged: it
// picks out the messages meant for the help desk and records them for the
// workers. It reports false when one could not be recorded: the callback
// must not be acknowledged then, so Slack sends it again.
func (a *Adapter) eventsAPI(ctx context.Context, ev slackevents.EventsAPIEvent) bool {
	j, ok := a.eventJob(ev)
	return !ok || a.take(ctx, j)
}

// eventJob is the work of an Events API callback, when it holds a message
// meant for the help desk (ok false: nothing to take, only to
// acknowledge).
func (a *Adapter) eventJob(ev slackevents.EventsAPIEvent) (j job, ok bool) {
	if ev.Type != slackevents.CallbackEvent {
		return job{}, false
	}
	var eventID string
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		eventID = cb.EventID
	}
	in, ok := a.route(ev.InnerEvent.Data)
	if !ok {
		return job{}, false
	}
	in.EventID = eventID
	key := ""
	if eventID != "" {
		key = "slack:event:" + eventID
	}
	return job{key: key, kind: kindMessage, lane: "slack:" + in.Channel + ":" + in.Thread + ":" + in.User, user: in.User, payload: in,
		run: func(ctx context.Context) { a.message(ctx, in) }}, true
}

// route decides whether an inner event is for the help desk: DMs to the
// bot, mentions of it, and posts in help channels (and the threads under
// them). Bots, the bot itself, edits, joins and other subtypes are not.
func (a *Adapter) route(data any) (inbound, bool) {
	self := a.selfID()
	switch e := data.(type) {
	case *slackevents.MessageEvent:
		// file_share is a person posting a screenshot with their text.
		if (e.SubType != "" && e.SubType != "file_share") || e.BotID != "" || e.User == "" || e.User == self {
			return inbound{}, false
		}
		in := inbound{Channel: e.Channel, User: e.User, Text: e.Text}
		if self != "" && strings.HasPrefix(strings.TrimSpace(e.Text), "<@"+self) {
			in.Text = leadingMention.ReplaceAllString(e.Text, "") // "@helpdesk my VPN…"
		}
		switch {
		case e.ChannelType == "im" || strings.HasPrefix(e.Channel, "D"):
			in.DM, in.Thread = true, e.ThreadTimeStamp
		case a.help[e.Channel]:
			in.Thread = threadOf(e.ThreadTimeStamp, e.TimeStamp)
		case e.ThreadTimeStamp != "" && a.threads.has(e.Channel+":"+e.ThreadTimeStamp):
			// A reply in a thread a mention started: the conversation
			// goes on without another mention. Mentions themselves come
			// as app_mention and are handled there.
			if self != "" && strings.Contains(e.Text, "<@"+self) {
				return inbound{}, false
			}
			in.Thread = e.ThreadTimeStamp
		case e.ThreadTimeStamp != "" && (self == "" || !strings.Contains(e.Text, "<@"+self)):
			// Maybe a thread a mention started before a restart; message
			// asks the core, which knows from its store.
			in.Thread, in.Unsure = e.ThreadTimeStamp, true
		default:
			return inbound{}, false
		}
		return in, true
	case *slackevents.AppMentionEvent:
		// In help channels and DMs the message event carries the post.
		if e.BotID != "" || e.User == "" || e.User == self || a.help[e.Channel] || strings.HasPrefix(e.Channel, "D") {
			return inbound{}, false
		}
		thread := threadOf(e.ThreadTimeStamp, e.TimeStamp)
		a.threads.add(e.Channel + ":" + thread)
		return inbound{Channel: e.Channel, Thread: thread, User: e.User, Text: leadingMention.ReplaceAllString(e.Text, "")}, true
	}
	return inbound{}, false
}

// threadOf is the thread a post belongs to: its parent's, or its own.
func threadOf(threadTS, ts string) string {
	if threadTS != "" {
		return threadTS
	}
	return ts
}

// message runs one inbound message through the core and posts the replies
// in the same place.
func (a *Adapter) message(ctx context.Context, in inbound) {
	if in.Unsure && !a.core.InConversation(ctx, tickets.Place{Platform: Platform, ChannelID: in.Channel, ThreadID: in.Thread},
		tickets.Person{Platform: Platform, UserID: in.User}) {
		return // someone else's thread talk, not for the desk
	}
	p := a.dir.person(ctx, in.User)
	text := strings.TrimSpace(plain(in.Text))
	if text == "" {
		text = "/help"
	}
	replies := a.core.Handle(ctx, chat.Message{
		EventID: in.EventID, Platform: Platform, ChannelID: in.Channel, ThreadID: in.Thread,
		User: p, Text: text, DM: in.DM,
	})
	a.deliver(ctx, replyTo{channel: in.Channel, thread: in.Thread, user: in.User, dm: in.DM, key: replyKey("event:", in.EventID)}, replies)
}
