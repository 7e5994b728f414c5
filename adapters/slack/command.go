package slack

import (
	"context"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/slack-go/slack"
)

// dmPointer tells someone who used /helpdesk outside the DM where the
// conversation went on.
const dmPointer = "I've answered in our direct messages — carry on there."

// slashCommand is a /helpdesk command's work, taken before the command is
// acknowledged.
func (a *Adapter) slashCommand(cmd slack.SlashCommand) job {
	key := ""
	if cmd.TriggerID != "" {
		key = "slack:command:" + cmd.TriggerID
	}
	return job{key: key, kind: kindCommand, lane: "slack:" + cmd.UserID, user: cmd.UserID, payload: cmd,
		run: func(ctx context.Context) { a.command(ctx, cmd, cmd.TriggerID) }}
}

// command runs "/helpdesk sub args" as the message "/sub args". The
// conversation it starts or continues is the person's DM with the bot,
// wherever they typed it: a slash command has no thread to continue in.
// Answers only the person should see come back in place (ephemeral,
// through the response_url); the rest go to the DM.
func (a *Adapter) command(ctx context.Context, cmd slack.SlashCommand, id string) {
	text := strings.TrimSpace(cmd.Text)
	if text == "" {
		text = "help"
	}
	text = "/" + strings.TrimPrefix(text, "/")
	dm, err := a.dir.dm(ctx, cmd.UserID)
	if err != nil {
		a.log.Warn("slack: no DM for a slash command; answering in place", "user", cmd.UserID, "err", err)
		dm = cmd.ChannelID
	}
	var eventID string
	if id != "" {
		eventID = "command:" + id
	}
	p := a.dir.person(ctx, cmd.UserID)
	replies := a.core.Handle(ctx, chat.Message{
		EventID: eventID, Platform: Platform, ChannelID: dm, User: p, Text: text, DM: strings.HasPrefix(dm, "D"),
	})
	inPlace := replyTo{channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL, private: true, key: replyKey("", eventID, ":private")}
	inDM := replyTo{channel: dm, user: cmd.UserID, dm: true, key: eventID}
	var private, public []chat.Reply
	for _, r := range replies {
		if r.Ephemeral {
			private = append(private, r)
		} else {
			public = append(public, r)
		}
	}
	if len(public) > 0 && cmd.ChannelID != dm {
		private = append(private, chat.Reply{Text: dmPointer, Ephemeral: true})
	}
	a.deliver(ctx, inPlace, private)
	a.deliver(ctx, inDM, public)
}
