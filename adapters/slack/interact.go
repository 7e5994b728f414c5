package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// formCallbackID marks the modals this adapter opens.
const formCallbackID = "helpdesk_form"

// refusal answers someone who is not an agent pressing an agent's form
// button (the core words the refusals of everything else).
const refusal = "Only help desk agents can use that button. If you need help, describe your problem to me in a direct message, or type /helpdesk help."

// formMeta travels in a modal's private_metadata: what the form does, to
// which ticket, and where the button was, so the answer goes back there.
type formMeta struct {
	Action  string `json:"a"`
	Value   string `json:"v"`
	Channel string `json:"c,omitempty"`
	Thread  string `json:"t,omitempty"`
}

// interactive looks at a button press or modal submission before it is
// acknowledged. It returns the acknowledgement's payload (a modal's field
// errors, or nil) and the work to take afterwards (or nil); raw is the
// callback as Slack sent it. Validation happens here because Slack shows
// field errors only in the acknowledgement.
func (a *Adapter) interactive(cb slack.InteractionCallback, raw json.RawMessage) (ack any, work *job) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 {
			return nil, nil
		}
		ba := *cb.ActionCallback.BlockActions[0]
		id := cb.TriggerID
		if id == "" {
			id = ba.ActionTs + ":" + cb.User.ID
		}
		id = "action:" + id
		return nil, &job{key: "slack:" + id, kind: kindAction, lane: "slack:" + cb.User.ID, user: cb.User.ID, payload: actionJob{Callback: raw, ID: id},
			run: func(ctx context.Context) { a.blockAction(ctx, cb, ba, id) }}
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID != formCallbackID {
			return nil, nil
		}
		var meta formMeta
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil {
			a.log.Warn("slack: modal with unreadable metadata", "err", err)
			return nil, nil
		}
		form, ok := a.core.FormFor(meta.Action)
		if !ok {
			return nil, nil
		}
		values := formValues(cb.View.State, form)
		if errs := a.core.CheckForm(form, values); len(errs) > 0 {
			return slack.NewErrorsViewSubmissionResponse(errs), nil
		}
		id := "view:" + cb.View.ID
		user := cb.User.ID
		return nil, &job{key: "slack:" + id, kind: kindForm, lane: "slack:" + user, user: user, payload: formJob{User: user, Meta: meta, Values: values, ID: id},
			run: func(ctx context.Context) { a.submitForm(ctx, user, meta, values, id) }}
	}
	return nil, nil
}

// blockAction runs a button press: a form button opens its modal (for
// agents), any other goes to the core. Answers to agents' buttons are
// ephemeral; the KB buttons answer in the conversation.
func (a *Adapter) blockAction(ctx context.Context, cb slack.InteractionCallback, ba slack.BlockAction, id string) {
	name := actionName(ba.ActionID)
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	thread := cb.Container.ThreadTs
	if thread == "" {
		thread = cb.Message.ThreadTimestamp
	}
	p := a.dir.person(ctx, cb.User.ID)
	to := replyTo{channel: channel, thread: thread, user: cb.User.ID, dm: strings.HasPrefix(channel, "D"), key: id,
		private: !chat.IsKBAnswer(name)}
	if _, ok := a.core.FormFor(name); ok {
		if a.isAgent != nil && !a.isAgent(p) {
			a.deliver(ctx, to, []chat.Reply{{Text: refusal, Ephemeral: true}})
			return
		}
		f, err := a.core.Form(ctx, p, name, ba.Value)
		if err != nil {
			a.deliver(ctx, to, []chat.Reply{{Text: tickets.ErrorMessage(err), Ephemeral: true}})
			return
		}
		meta := formMeta{Action: f.Action, Value: ba.Value, Channel: channel, Thread: thread}
		if err := a.openModal(ctx, cb.TriggerID, f, meta); err != nil {
			a.log.Warn("slack: modal not opened", "action", name, "err", err)
			a.deliver(ctx, to, []chat.Reply{{Text: "I couldn't open the form (Slack allows 3 seconds). Press the button again, or type the command instead: /helpdesk " + name + " " + ba.Value + " …", Ephemeral: true}})
		}
		return
	}
	if chat.IsKBAnswer(name) &&
		a.core.AwaitingKBAnswer(ctx, tickets.Place{Platform: Platform, ChannelID: channel, ThreadID: thread}, p) {
		// Only the press that answers the offer takes its buttons away; a
		// bystander's or a late one goes to the core, which says so.
		if !a.answerOffer(ctx, cb, name) {
			a.deliver(ctx, to, []chat.Reply{{Text: offerAnswered, Ephemeral: true}})
			return
		}
	}
	replies := a.core.HandleAction(ctx, chat.Action{
		EventID: id, Platform: Platform, ChannelID: channel, ThreadID: thread,
		User: p, Name: name, Value: ba.Value,
	})
	a.deliver(ctx, to, replies)
}

// offerEditWait is the longest a KB offer's edit waits for its turn.
const offerEditWait = 5 * time.Second

// offerAnswered answers a press on a KB offer that was answered already.
const offerAnswered = "You've already answered that suggestion, so I'm keeping your first answer. If something else is wrong, just describe it to me."

// offerChoice is the line that replaces a KB offer's buttons once one of
// them is pressed.
func offerChoice(action string) string {
	if action == chat.ActionKBFixed {
		return "✓ This fixed it"
	}
	return "Still broken — opening a ticket"
}

// answerOffer records the first answer to the KB offer a button press
// came from and edits the offer so its buttons are gone, replaced by the
// choice. It reports false when the offer was answered already. A failed
// edit is logged: the answer still counts.
func (a *Adapter) answerOffer(ctx context.Context, cb slack.InteractionCallback, action string) bool {
	channel, ts := cb.Container.ChannelID, cb.Container.MessageTs
	if channel == "" {
		channel = cb.Channel.ID
	}
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	if channel == "" || ts == "" {
		return true // no message to edit or remember
	}
	if !a.offers.add(channel + ":" + ts) {
		return false
	}
	opts := answeredOffer(cb.Message, offerChoice(action))
	// The edit goes out with the replies, in the background: chat.update
	// is paced at Slack's Tier 3, and the press is answered meanwhile.
	// Taking the buttons away only tidies the offer (a second press is
	// refused anyway), so under a burst it yields to the triage cards'
	// edits rather than queueing behind them.
	// Detached: the press is recorded handled without waiting for the
	// edit, which may wait up to offerEditWait for its turn, while the
	// person's next message waits for the press to be finished.
	a.replies.Go(chat.Detach(ctx), "offer:"+channel+":"+ts, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, offerEditWait)
		defer cancel()
		err := a.withRetry(ctx, func() error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts, opts...)
			return err
		})
		if err != nil {
			a.log.Warn("slack: KB offer not updated", "channel", channel, "ts", ts, "err", classify("chat.update", err))
		}
	})
	return true
}

// answeredOffer is the chat.update of KB offer msg, as the interaction
// carried it, without its buttons and with choice below its text. An
// offer that came without blocks is rebuilt from its notification text.
func answeredOffer(msg slack.Message, choice string) []slack.MsgOption {
	var bs []slack.Block
	for _, b := range msg.Blocks.BlockSet {
		if b.BlockType() != slack.MBTAction {
			bs = append(bs, b)
		}
	}
	if len(bs) == 0 && strings.TrimSpace(msg.Text) != "" {
		bs = blocks(plain(msg.Text), nil)
	}
	bs = append(bs, slack.NewSectionBlock(plainText(choice), nil, nil, slack.SectionBlockOptionBlockID("kb_answer")))
	text := msg.Text
	if strings.TrimSpace(text) == "" {
		text = escape(choice)
	}
	return []slack.MsgOption{
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(bs...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
}

// submitForm runs a modal's submission, already validated, and tells the
// agent the outcome where they pressed the button.
func (a *Adapter) submitForm(ctx context.Context, user string, meta formMeta, values map[string]string, id string) {
	p := a.dir.person(ctx, user)
	replies := a.core.HandleAction(ctx, chat.Action{
		EventID: id, Platform: Platform, ChannelID: meta.Channel, ThreadID: meta.Thread,
		User: p, Name: meta.Action, Value: meta.Value, Fields: values,
	})
	a.deliver(ctx, replyTo{channel: meta.Channel, thread: meta.Thread, user: user, key: id,
		dm: strings.HasPrefix(meta.Channel, "D"), private: true}, replies)
}

// openModal shows form f as a modal: one text input per field, with the
// field name as block and action ID so Slack's errors land on it.
func (a *Adapter) openModal(ctx context.Context, triggerID string, f chat.Form, meta formMeta) error {
	md, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("slack: modal metadata: %w", err)
	}
	var bs []slack.Block
	if meta.Value != "" {
		bs = append(bs, slack.NewContextBlock("ticket", slack.NewTextBlockObject(slack.PlainTextType, "Ticket #"+escape(meta.Value), false, false)))
	}
	for _, fd := range f.Fields {
		if !fd.Shown() {
			continue
		}
		var ph *slack.TextBlockObject
		if fd.Placeholder != "" {
			ph = plainText(truncate(fd.Placeholder, 150))
		}
		if fd.Select {
			bs = append(bs, selectBlock(fd, ph))
			continue
		}
		max := fd.MaxLen
		if max <= 0 || max > 3000 {
			max = 3000
		}
		el := slack.NewPlainTextInputBlockElement(ph, fd.Name).WithMultiline(fd.Multiline).WithMaxLength(max)
		if fd.Value != "" {
			el = el.WithInitialValue(truncate(fd.Value, max))
		}
		bs = append(bs, slack.NewInputBlock(fd.Name, plainText(truncate(fd.Label, 2000)), nil, el).WithOptional(fd.Optional))
	}
	view := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plainText(truncate(f.Title, maxModalTitle)),
		Submit:          plainText(truncate(f.Submit, maxModalTitle)),
		Close:           plainText("Cancel"),
		CallbackID:      formCallbackID,
		PrivateMetadata: string(md),
		Blocks:          slack.Blocks{BlockSet: bs},
	}
	if _, err := a.api.OpenViewContext(ctx, triggerID, view); err != nil {
		return fmt.Errorf("slack: views.open: %w", err)
	}
	return nil
}

// selectBlock is a select field as an input block around a static_select,
// with the field name as block and action ID like the text inputs. Slack
// shows 75 characters of an option and takes at most 100 options; the
// form brings at most chat.MaxOptions.
func selectBlock(fd chat.FormField, ph *slack.TextBlockObject) *slack.InputBlock {
	if ph == nil {
		ph = plainText("Choose…")
	}
	opts := make([]*slack.OptionBlockObject, 0, len(fd.Options))
	for _, o := range fd.Options[:min(len(fd.Options), chat.MaxOptions)] {
		opts = append(opts, slack.NewOptionBlockObject(o.Value, plainText(truncate(o.Label, 75)), nil))
	}
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, ph, fd.Name, opts...)
	return slack.NewInputBlock(fd.Name, plainText(truncate(fd.Label, 2000)), nil, el).WithOptional(fd.Optional)
}

// plainText is a plain_text object of escaped s.
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, escape(s), false, false)
}

// formValues reads a submitted modal's fields.
func formValues(st *slack.ViewState, f chat.Form) map[string]string {
	values := map[string]string{}
	if st == nil {
		return values
	}
	for _, fd := range f.Fields {
		v, ok := st.Values[fd.Name][fd.Name]
		switch {
		case !ok:
		case fd.Select:
			values[fd.Name] = v.SelectedOption.Value
		default:
			values[fd.Name] = v.Value
		}
	}
	return values
}
