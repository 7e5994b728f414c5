package discord

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The kinds of events the adapter records, by handler.
const (
	kindMessage     = "discord:message"
	kindInteraction = "discord:interaction"
)

// notTaken answers an interaction whose work could not be recorded.
const notTaken = "Sorry, I couldn't take that just now (my database did not answer). Please try again in a moment."

// record writes an event's raw payload to the inbox before the reader
// moves on; first is false for one recorded before.
func (a *Adapter) record(ctx context.Context, key, kind, lane string, raw []byte) (first bool, err error) {
	return a.inbox.Record(ctx, &tickets.InboundEvent{Key: key, Kind: kind, Lane: lane, Payload: raw})
}

// handleInbox sets the adapter's handlers on the inbox: each reads the
// event as Discord sent it, as the live path did.
func (a *Adapter) handleInbox(in inbox) {
	in.Handle(kindMessage, func(ctx context.Context, p []byte) {
		var m discordgo.Message
		if err := json.Unmarshal(p, &m); err != nil {
			a.log.Error("discord: recorded message unreadable; dropped", "err", err)
			return
		}
		a.handleMessage(ctx, &m)
	})
	in.Handle(kindInteraction, func(ctx context.Context, p []byte) {
		i, err := decodeInteraction(p)
		if err != nil {
			a.log.Error("discord: recorded interaction unreadable; dropped", "err", err)
			return
		}
		if !a.answers.wait(ctx, i.ID) {
			a.log.Warn("discord interaction not answered; its work is dropped", "interaction", i.ID)
			return
		}
		a.runInteraction(ctx, i)
	})
}

// answer is the first answer to an interaction on its way: done closes
// once it was sent (ok) or failed.
type answer struct {
	done chan struct{}
	ok   bool
}

// answers are the interactions being answered in this process, so their
// recorded work waits for the answer: Discord refuses a follow-up to an
// interaction not answered yet, and work of one whose answer failed has
// no one to tell.
type answers struct {
	mu sync.Mutex
	m  map[string]*answer
}

func (as *answers) expect(id string) *answer {
	a := &answer{done: make(chan struct{})}
	as.mu.Lock()
	if as.m == nil {
		as.m = map[string]*answer{}
	}
	as.m[id] = a
	as.mu.Unlock()
	return a
}

// settle marks the answer sent or failed (a.ok set before) and forgets it.
func (as *answers) settle(id string, a *answer) {
	as.mu.Lock()
	delete(as.m, id)
	as.mu.Unlock()
	close(a.done)
}

// wait waits for the answer to interaction id when it is on its way here
// and reports whether it went out; an interaction recorded before a
// restart was answered then.
func (as *answers) wait(ctx context.Context, id string) bool {
	as.mu.Lock()
	a, ok := as.m[id]
	as.mu.Unlock()
	if !ok {
		return true
	}
	select {
	case <-a.done:
		return a.ok
	case <-ctx.Done():
		return false
	}
}
