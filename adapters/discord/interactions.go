package discord

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// responder sends an interaction's initial response: over REST for
// gateway interactions, as the HTTP response for the interactions
// endpoint. Discord wants it within 3 seconds.
type responder func(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error

// respondREST answers a gateway interaction with the callback endpoint.
func (a *Adapter) respondREST(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	return a.api.InteractionRespond(i, r, discordgo.WithContext(ctx))
}

// unreadable answers an interaction the adapter could not read.
const unreadable = "Sorry, I couldn't read that. Type /helpdesk help to see what I can do, or open the form again from the ticket's buttons."

// internalFailure answers an interaction whose handling failed inside
// the bot.
const internalFailure = "Sorry, something went wrong on my side and nothing was done. Please try again; if it keeps happening, tell the help desk team."

// onRawInteraction reads an interaction as it came (gateway event data or
// HTTP body) and answers it. Nothing in it may take the process down: an
// interaction that cannot be read is logged and, when it carries enough
// to be answered, answered with a plain sentence. It reports false when
// there was nothing to answer (no ID or token).
func (a *Adapter) onRawInteraction(ctx context.Context, raw []byte, respond responder) bool {
	i, err := decodeInteraction(raw)
	if err == nil {
		a.onInteraction(ctx, i, raw, respond)
		return true
	}
	a.log.Warn("discord interaction not understood", "interaction", i.ID, "type", int(i.Type), "err", err)
	if i.ID == "" || i.Token == "" {
		return false
	}
	resp := ephemeral(unreadable, nil)
	if i.Type == discordgo.InteractionPing {
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	}
	if err := respond(ctx, i, resp); err != nil {
		a.log.Warn("discord interaction not answered", "interaction", i.ID, "err", err)
	}
	return true
}

// onInteraction answers an interaction at once, without touching the core
// or the store, and then queues the work, whose replies follow as
// follow-up messages. Anything that may be slow (the core, a REST lookup)
// happens after the answer, so the 3 s deadline is always met. A panic
// while deciding the answer is logged and answered, never passed on to
// the gateway's reader, which it would kill.
func (a *Adapter) onInteraction(ctx context.Context, i *discordgo.Interaction, raw []byte, respond responder) {
	answered := false
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		a.log.Error("discord interaction handler panicked; the bot goes on", "interaction", i.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if !answered {
			if err := respond(ctx, i, ephemeral(internalFailure, nil)); err != nil {
				a.log.Warn("discord interaction not answered", "interaction", i.ID, "err", err)
			}
		}
	}()
	resp, work := a.interaction(i)
	u := interactionUser(i)
	lane := i.ChannelID + "|" + u.ID
	if work != nil && a.inbox != nil && i.ID != "" {
		// Recorded before it is answered, so a crash after the answer
		// loses nothing; the inbox runs it in the person's lane, once the
		// answer is out (a follow-up before it finds no interaction).
		ans := a.answers.expect(i.ID)
		defer a.answers.settle(i.ID, ans)
		first, err := a.record(ctx, "discord:interaction:"+i.ID, kindInteraction, lane, raw)
		switch {
		case err != nil:
			a.log.Error("discord interaction not recorded", "interaction", i.ID, "err", err)
			resp = ephemeral(notTaken, nil)
		case !first:
			a.log.Info("discord interaction delivered twice; ignored", "interaction", i.ID)
			return
		}
		work = nil
		answered = true
		if err := respond(ctx, i, resp); err != nil {
			a.log.Warn("discord interaction not answered", "interaction", i.ID, "err", err)
			return
		}
		ans.ok = true
		return
	}
	answered = true
	if err := respond(ctx, i, resp); err != nil {
		a.log.Warn("discord interaction not answered", "interaction", i.ID, "err", err)
		return
	}
	if work == nil {
		return
	}
	if err := a.lanes.submit(ctx, lane, work); err != nil {
		a.log.Warn("discord interaction dropped", "interaction", i.ID, "err", err)
	}
}

// runInteraction is an interaction's work after its first answer (the
// core, then follow-ups), read from the interaction alone: the inbox runs
// it from what it recorded.
func (a *Adapter) runInteraction(ctx context.Context, i *discordgo.Interaction) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		a.runCommand(ctx, i)
	case discordgo.InteractionMessageComponent:
		action, value := parseCustomID(i.MessageComponentData().CustomID)
		a.act(ctx, i, chat.Action{Name: action, Value: value}, false)
	case discordgo.InteractionModalSubmit:
		data := i.ModalSubmitData()
		action, value, _ := parseModalID(data.CustomID)
		if f, ok := a.core.FormFor(action); ok {
			a.act(ctx, i, chat.Action{Name: f.Action, Value: value, Fields: modalValues(data)}, true)
		}
	}
}

// interaction decides the initial response to i and the work to run
// after it (nil when the response is all there is).
func (a *Adapter) interaction(i *discordgo.Interaction) (*discordgo.InteractionResponse, func(ctx context.Context)) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	case discordgo.InteractionApplicationCommand:
		return a.command(i)
	case discordgo.InteractionMessageComponent:
		return a.component(i)
	case discordgo.InteractionModalSubmit:
		return a.modalSubmit(i)
	}
	return ephemeral("I can't handle that kind of interaction. Type /helpdesk help to see what I can do.", nil), nil
}

// command answers /helpdesk: deferred (ephemeral in servers, where the
// channel need not see someone's /helpdesk mine), then the core's replies.
func (a *Adapter) command(i *discordgo.Interaction) (*discordgo.InteractionResponse, func(ctx context.Context)) {
	data := i.ApplicationCommandData()
	if !isCommand(data.Name) {
		return ephemeral("I don't know the command /"+data.Name+". Type /helpdesk help to see what I can do.", nil), nil
	}
	return deferred(i.GuildID != ""), func(ctx context.Context) { a.runCommand(ctx, i) }
}

// runCommand runs /helpdesk through the core and answers with follow-ups.
func (a *Adapter) runCommand(ctx context.Context, i *discordgo.Interaction) {
	name, text := commandText(a.core.Commands(), i.ApplicationCommandData())
	inGuild := i.GuildID != ""
	p := a.interactionPlace(ctx, i)
	u := interactionPerson(i)
	msg := chat.Message{EventID: i.ID, Platform: Platform, ChannelID: p.channel, ThreadID: p.thread, User: u, Text: text, DM: !inGuild}
	if name != "new" {
		a.followUp(ctx, i, a.core.Handle(ctx, msg), inGuild)
		return
	}
	// "new" starts a report where it can go on: here in a DM or a
	// report thread, else in a DM with the person.
	post := ""
	if inGuild && p.thread == "" {
		dm, err := a.dmChannel(ctx, u.UserID)
		if err != nil {
			a.log.Error("discord dm channel", "err", err)
			a.followUp(ctx, i, []chat.Reply{{Text: dmRefused, Ephemeral: true}}, true)
			return
		}
		msg.ChannelID, msg.ThreadID, msg.DM, post = dm, "", true, dm
	}
	replies := a.core.Handle(ctx, msg)
	if post == "" {
		a.followUp(ctx, i, replies, inGuild)
		return
	}
	for _, r := range replies {
		if err := a.post(ctx, post, r.Text, r.Buttons); err != nil {
			// Most often the person's privacy settings refuse DMs;
			// pointing them to a DM that never came would mislead.
			a.log.Error("discord reply", "channel", post, "err", err)
			a.followUp(ctx, i, []chat.Reply{{Text: dmRefused, Ephemeral: true}}, true)
			return
		}
	}
	a.followUp(ctx, i, []chat.Reply{{Text: "I've opened your report in a direct message with me: answer there.", Ephemeral: true}}, true)
}

// dmRefused answers /helpdesk new in a server channel when the report
// could not be moved to a DM with the person.
const dmRefused = "I couldn't open a direct message with you. Check that your privacy settings allow DMs from this server's members, then try again."

// component answers a button: a modal for buttons that need a form, the
// KB offer updated without its buttons for "This fixed it" and "Still
// broken", else an invisible deferred update; the core's replies follow
// as follow-ups.
func (a *Adapter) component(i *discordgo.Interaction) (*discordgo.InteractionResponse, func(ctx context.Context)) {
	action, value := parseCustomID(i.MessageComponentData().CustomID)
	if _, ok := a.core.FormFor(action); ok {
		// A modal must be the first answer, within Discord's 3 s: the
		// prefill is a couple of local reads, bounded here.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		f, err := a.core.Form(ctx, interactionPerson(i), action, value)
		if err != nil {
			return ephemeral(tickets.ErrorMessage(err), nil), nil
		}
		return modal(f, value), nil
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	if chat.IsKBAnswer(action) && a.answersOffer(i) {
		// A KB offer is answered once: the response takes its buttons
		// away, and a second press never reaches the intake. Only the
		// press that answers it does; a bystander's or a late one goes to
		// the core, which says so.
		var first bool
		if resp, first = a.answerOffer(i, action); !first {
			return ephemeral(offerAnswered, nil), nil
		}
	}
	return resp, func(ctx context.Context) { a.runInteraction(ctx, i) }
}

// answersOffer asks the core whether the press answers the presser's
// open KB offer, within the time a first answer to Discord allows.
func (a *Adapter) answersOffer(i *discordgo.Interaction) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	p := a.interactionPlace(ctx, i)
	return a.core.AwaitingKBAnswer(ctx, tickets.Place{Platform: Platform, ChannelID: p.channel, ThreadID: p.thread}, interactionPerson(i))
}

// modalSubmit checks a submitted form. Discord modals cannot show errors
// beside their fields, so a refusal is an ephemeral message naming each
// field and what is wrong, with a button to open the form again.
func (a *Adapter) modalSubmit(i *discordgo.Interaction) (*discordgo.InteractionResponse, func(ctx context.Context)) {
	data := i.ModalSubmitData()
	action, value, found := parseModalID(data.CustomID)
	f, ok := a.core.FormFor(action)
	if !found || !ok {
		return ephemeral("That form is from an older version of the bot; open it again from the ticket's buttons.", nil), nil
	}
	values := modalValues(data)
	if errs := a.core.CheckForm(f, values); errs != nil {
		return ephemeral(formErrors(f, errs), []tickets.Button{{Label: "Open the form again", Action: action, Value: value}}), nil
	}
	return deferred(true), func(ctx context.Context) { a.runInteraction(ctx, i) }
}

// act runs a button press or form submission through the core and sends
// its replies as follow-ups: ephemeral outside conversations (a triage
// card's buttons answer only the agent; the card itself is edited through
// the outbox) and after a form, as the core says inside a DM or thread.
func (a *Adapter) act(ctx context.Context, i *discordgo.Interaction, act chat.Action, private bool) {
	p := a.interactionPlace(ctx, i)
	act.EventID, act.Platform, act.ChannelID, act.ThreadID, act.User = i.ID, Platform, p.channel, p.thread, interactionPerson(i)
	replies := a.core.HandleAction(ctx, act)
	a.followUp(ctx, i, replies, private || (i.GuildID != "" && p.thread == ""))
}

// followUp sends replies as follow-up messages of i, split to Discord's
// limit. private makes them all ephemeral. With nothing to say, a deferred
// "thinking…" message is removed.
func (a *Adapter) followUp(ctx context.Context, i *discordgo.Interaction, replies []chat.Reply, private bool) {
	if len(replies) == 0 {
		if i.Type != discordgo.InteractionMessageComponent {
			if err := a.api.InteractionResponseDelete(i, discordgo.WithContext(ctx)); err != nil {
				a.log.Debug("discord delete deferred response", "interaction", i.ID, "err", err)
			}
		}
		return
	}
	for _, r := range replies {
		for _, ms := range messages(r.Text, r.Buttons) {
			p := &discordgo.WebhookParams{Content: ms.Content, Components: ms.Components, AllowedMentions: noMentions()}
			if private || r.Ephemeral {
				p.Flags = discordgo.MessageFlagsEphemeral
			}
			if _, err := a.api.FollowupMessageCreate(i, true, p, discordgo.WithContext(ctx)); err != nil {
				a.log.Error("discord follow-up", "interaction", i.ID, "err", err)
				return
			}
		}
	}
}

// place is where an interaction happened, as the core names places.
type place struct{ channel, thread string }

// interactionPlace finds whether i came from a thread, whose parent is
// then the conversation's channel, as for messages.
func (a *Adapter) interactionPlace(ctx context.Context, i *discordgo.Interaction) place {
	if i.GuildID == "" {
		return place{channel: i.ChannelID}
	}
	ci, err := a.places.lookup(ctx, a.api, i.ChannelID)
	if err != nil {
		a.log.Warn("discord channel lookup", "channel", i.ChannelID, "err", err)
		return place{channel: i.ChannelID}
	}
	if ci.thread {
		return place{channel: ci.parent, thread: i.ChannelID}
	}
	return place{channel: i.ChannelID}
}

// dmChannel opens (or finds) the direct message channel with a user.
func (a *Adapter) dmChannel(ctx context.Context, userID string) (string, error) {
	a.mu.Lock()
	id, ok := a.dmByUser[userID]
	a.mu.Unlock()
	if ok {
		return id, nil
	}
	ch, err := a.api.UserChannelCreate(userID, discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	if len(a.dmByUser) >= 4096 {
		a.dmByUser = map[string]string{}
	}
	a.dmByUser[userID] = ch.ID
	a.mu.Unlock()
	return ch.ID, nil
}

// interactionUser is who acted: the member in a server, the user in a DM.
func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	if i.User != nil {
		return i.User
	}
	return &discordgo.User{}
}

func interactionPerson(i *discordgo.Interaction) tickets.Person {
	return person(interactionUser(i), i.Member)
}

// deferred is the "thinking…" answer of work that continues on the pool.
func deferred(private bool) *discordgo.InteractionResponse {
	r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}
	if private {
		r.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	return r
}

// ephemeral is an immediate answer only the person sees.
func ephemeral(text string, buttons []tickets.Button) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{
		Content: truncate(text, maxContent), Components: components(buttons), Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions(),
	}}
}
