package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// maxReconnectWait caps the wait before Socket Mode is tried again after
// slack-go gave up (a bad token, Slack refusing the connection).
const maxReconnectWait = 2 * time.Minute

// Run connects to Slack and serves until ctx ends; it returns nil then.
// In Socket Mode it keeps reconnecting while Slack is unreachable or the
// token is refused, logging and reporting the cause through Health. In
// HTTP mode events arrive on Routes. Either way it checks the bot token
// with auth.test (whoAmI).
func (a *Adapter) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer a.Flush() // the last replies go out before Run returns
	defer wg.Wait() // nothing of the adapter outlives Run
	wg.Go(func() { a.whoAmI(ctx) })
	if a.socket == nil {
		<-ctx.Done()
		return nil
	}
	wg.Go(func() { a.socketEvents(ctx) })
	wait := time.Second
	for {
		err := a.socket.RunContext(ctx)
		if ctx.Err() != nil {
			break
		}
		err = fmt.Errorf("slack: socket mode: %w", err)
		a.setHealth(err)
		a.log.Error("slack: socket mode stopped; trying again", "err", err, "retry_in", wait)
		if sleepCtx(ctx, wait) != nil {
			break
		}
		wait = min(wait*2, maxReconnectWait)
	}
	return nil
}

// socketEvents drains the Socket Mode client's events (it stalls if they
// are not read): connection changes update Health; requests are
// acknowledged at once and their work handed to the pool.
func (a *Adapter) socketEvents(ctx context.Context) {
	defer a.taking.wait()
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-a.socket.Events:
			a.socketEvent(ctx, evt)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, evt socketmode.Event) {
	start := a.now()
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		if a.Health() == nil {
			a.setHealth(errors.New("slack: socket mode reconnecting"))
		}
	case socketmode.EventTypeConnectionError:
		err := errors.New("slack: socket mode cannot connect")
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			err = fmt.Errorf("slack: socket mode cannot connect (attempt %d): %w", ce.Attempt, ce.ErrorObj)
		}
		a.setHealth(err)
		a.log.Warn("slack: connection failed", "err", err)
	case socketmode.EventTypeInvalidAuth:
		a.setHealth(errors.New("slack: socket mode: the app-level token was refused; check SLACK_APP_TOKEN"))
	case socketmode.EventTypeConnected:
		a.setHealth(nil)
		a.log.Info("slack: connected (socket mode)")
	case socketmode.EventTypeDisconnect:
		a.setHealth(errors.New("slack: socket mode disconnected by Slack; reconnecting"))
		a.log.Info("slack: Slack asked to reconnect")
	// A request is recorded (one insert) and then acknowledged; its work
	// runs later on the workers. This loop never waits for a worker, nor
	// for the record's commit (lanes): it must keep reading, or Slack's
	// pings go unread and the connection is dropped with envelopes
	// unacknowledged. One that cannot be recorded is left unacknowledged,
	// for Slack to send again.
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			a.ack(evt, nil, start)
			return
		}
		j, ok := a.eventJob(ev)
		if !ok {
			a.ack(evt, nil, start)
			return
		}
		a.takeThenAck(ctx, evt, j, nil, start)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || cmd.UserID == "" {
			a.ack(evt, nil, start)
			return
		}
		a.takeThenAck(ctx, evt, a.slashCommand(cmd), nil, start)
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			a.ack(evt, nil, start)
			return
		}
		payload, work := a.interactive(cb, evt.Request.Payload)
		if work == nil {
			a.ack(evt, payload, start)
			return
		}
		a.takeThenAck(ctx, evt, *work, payload, start)
	case socketmode.EventTypeErrorBadMessage, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack: socket mode error", "type", string(evt.Type))
		a.log.Debug("slack: socket mode error detail", "data", fmt.Sprint(evt.Data))
	}
}

// takeThenAck takes j (records it) and then acknowledges evt with payload,
// in the background, after the requests of j's lane read before it
// (lanes); a request that could not be recorded is not acknowledged.
func (a *Adapter) takeThenAck(ctx context.Context, evt socketmode.Event, j job, payload any, start time.Time) {
	a.taking.run(ctx, j.lane, func() {
		if a.take(ctx, j) {
			a.ack(evt, payload, start)
		}
	})
}

// ack acknowledges a Socket Mode request, with payload when there is one,
// and times it from start (when the envelope was read): Slack sends the
// envelope again when the ack is not back within 3 s.
func (a *Adapter) ack(evt socketmode.Event, payload any, start time.Time) {
	if evt.Request == nil {
		return
	}
	var err error
	if payload != nil {
		err = a.socket.Ack(*evt.Request, payload)
	} else {
		err = a.socket.Ack(*evt.Request)
	}
	if err != nil {
		a.log.Warn("slack: ack failed", "envelope", evt.Request.EnvelopeID, "err", err)
		return
	}
	a.socketAcks.Observe(a.now().Sub(start))
}
