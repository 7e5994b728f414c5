package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack/slackevents"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// inbound is a message event reduced to what the help desk reads.
type inbound struct {
	eventID string
	channel string
	thread  string // the conversation's thread: "" in a DM, else the post's thread
	user    string
	text    string
	dm      bool
	// unsure is a reply in a thread the adapter does not know it follows:
	// the core is asked whether the person has business there.
	unsure bool
}

// eventsAPI handles one Events API callback, already acknowledged: it
// picks out the messages meant for the help desk and runs them through the
// core on the pool.
func (a *Adapter) eventsAPI(ctx context.Context, ev slackevents.EventsAPIEvent) {
	if ev.Type != slackevents.CallbackEvent {
		return
	}
	var eventID string
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		eventID = cb.EventID
	}
	in, ok := a.route(ev.InnerEvent.Data)
	if !ok {
		return
	}
	in.eventID = eventID
	if eventID != "" && !a.firstTime("event:"+eventID) {
		return
	}
	a.submit(ctx, "message", func(ctx context.Context) { a.message(ctx, in) })
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
		in := inbound{channel: e.Channel, user: e.User, text: e.Text}
		if self != "" && strings.HasPrefix(strings.TrimSpace(e.Text), "<@"+self) {
			in.text = leadingMention.ReplaceAllString(e.Text, "") // "@helpdesk my VPN…"
		}
		switch {
		case e.ChannelType == "im" || strings.HasPrefix(e.Channel, "D"):
			in.dm, in.thread = true, e.ThreadTimeStamp
		case a.help[e.Channel]:
			in.thread = threadOf(e.ThreadTimeStamp, e.TimeStamp)
		case e.ThreadTimeStamp != "" && a.threads.has(e.Channel+":"+e.ThreadTimeStamp):
			// A reply in a thread a mention started: the conversation
			// goes on without another mention. Mentions themselves come
			// as app_mention and are handled there.
			if self != "" && strings.Contains(e.Text, "<@"+self) {
				return inbound{}, false
			}
			in.thread = e.ThreadTimeStamp
		case e.ThreadTimeStamp != "" && (self == "" || !strings.Contains(e.Text, "<@"+self)):
			// Maybe a thread a mention started before a restart; message
			// asks the core, which knows from its store.
			in.thread, in.unsure = e.ThreadTimeStamp, true
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
		return inbound{channel: e.Channel, thread: thread, user: e.User, text: leadingMention.ReplaceAllString(e.Text, "")}, true
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
	if in.unsure && !a.core.InConversation(ctx, tickets.Place{Platform: Platform, ChannelID: in.channel, ThreadID: in.thread},
		tickets.Person{Platform: Platform, UserID: in.user}) {
		return // someone else's thread talk, not for the desk
	}
	p := a.dir.person(ctx, in.user)
	text := strings.TrimSpace(plain(in.text))
	if text == "" {
		text = "/help"
	}
	replies := a.core.Handle(ctx, chat.Message{
		EventID: in.eventID, Platform: Platform, ChannelID: in.channel, ThreadID: in.thread,
		User: p, Text: text, DM: in.dm,
	})
	a.deliver(ctx, replyTo{channel: in.channel, thread: in.thread, user: in.user, dm: in.dm}, replies)
}
