package slack

import (
	"context"
	"encoding/json"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// inbox records inbound events before they are acknowledged and runs
// their handlers later on the workers (chat.Inbox).
type inbox interface {
	Record(ctx context.Context, e *tickets.InboundEvent) (first bool, err error)
	Handle(kind string, fn func(ctx context.Context, payload []byte))
}

// The kinds of events the adapter records, by handler.
const (
	kindMessage = "slack:message"
	kindCommand = "slack:command"
	kindAction  = "slack:action"
	kindForm    = "slack:form"
)

// job is an inbound event's work: how the inbox records it, and how it
// runs without one.
type job struct {
	key, kind, lane string
	// user is who sent the event: their profile is looked up as it
	// arrives, so its handling need not wait for Slack (directory).
	user    string
	payload any // JSON of what its handler reads
	run     func(ctx context.Context)
}

// take hands an event's work on before it is acknowledged: recorded in
// the inbox (a redelivery is recognised there and dropped), or without an
// inbox submitted to the pool. It reports false when the event could not
// be recorded, which the caller answers so that Slack sends it again.
func (a *Adapter) take(ctx context.Context, j job) bool {
	a.dir.prefetch(j.user)
	if a.inbox == nil || j.key == "" {
		if j.key == "" || a.firstTime(j.key) {
			a.submit(ctx, j.kind, j.run)
		}
		return true
	}
	b, err := json.Marshal(j.payload)
	if err != nil {
		a.log.Error("slack: event not recorded", "kind", j.kind, "err", err)
		return true // it cannot be recorded however often Slack sends it
	}
	first, err := a.inbox.Record(ctx, &tickets.InboundEvent{Key: j.key, Kind: j.kind, Lane: j.lane, Payload: b})
	if err != nil {
		a.log.Error("slack: event not recorded; leaving it unacknowledged for Slack to send again", "kind", j.kind, "err", err)
		return false
	}
	if !first {
		a.log.Info("slack: duplicate delivery ignored", "event", j.key)
	}
	return true
}

// formJob is what the inbox keeps of a submitted form.
type formJob struct {
	User   string            `json:"user"`
	Meta   formMeta          `json:"meta"`
	Values map[string]string `json:"values"`
	ID     string            `json:"id"`
}

// actionJob is what the inbox keeps of a button press: the callback as
// Slack sent it (the KB offer's edit needs its message) and its ID.
type actionJob struct {
	Callback json.RawMessage `json:"callback"`
	ID       string          `json:"id"`
}

// handleInbox sets the adapter's handlers on the inbox. A payload that no
// longer reads (written by another version) is logged and dropped.
func (a *Adapter) handleInbox(in inbox) {
	in.Handle(kindMessage, func(ctx context.Context, p []byte) {
		var m inbound
		if a.decode(kindMessage, p, &m) {
			a.message(ctx, m)
		}
	})
	in.Handle(kindCommand, func(ctx context.Context, p []byte) {
		var cmd slack.SlashCommand
		if a.decode(kindCommand, p, &cmd) {
			a.command(ctx, cmd, cmd.TriggerID)
		}
	})
	in.Handle(kindForm, func(ctx context.Context, p []byte) {
		var f formJob
		if a.decode(kindForm, p, &f) {
			a.submitForm(ctx, f.User, f.Meta, f.Values, f.ID)
		}
	})
	in.Handle(kindAction, func(ctx context.Context, p []byte) {
		var aj actionJob
		var cb slack.InteractionCallback
		if !a.decode(kindAction, p, &aj) || !a.decode(kindAction, aj.Callback, &cb) || len(cb.ActionCallback.BlockActions) == 0 {
			return
		}
		a.blockAction(ctx, cb, *cb.ActionCallback.BlockActions[0], aj.ID)
	})
}

func (a *Adapter) decode(kind string, p []byte, v any) bool {
	if err := json.Unmarshal(p, v); err != nil {
		a.log.Error("slack: recorded event unreadable; dropped", "kind", kind, "err", err)
		return false
	}
	return true
}
