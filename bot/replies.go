package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// keptReply is a reply as kept with the inbound event that it answered
// (tickets.Tx.SetEventReplies), for an event handled again after a crash.
type keptReply struct {
	Text      string           `json:"text"`
	Buttons   []tickets.Button `json:"buttons,omitempty"`
	Ephemeral bool             `json:"ephemeral,omitempty"`
}

// keepReplies keeps replies with the seen event id, in tx: nothing is
// written for an event answered with nothing.
func keepReplies(ctx context.Context, tx tickets.Tx, id string, replies []chat.Reply) error {
	if len(replies) == 0 {
		return nil
	}
	kept := make([]keptReply, len(replies))
	for i, r := range replies {
		kept[i] = keptReply{Text: r.Text, Buttons: r.Buttons, Ephemeral: r.Ephemeral}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return fmt.Errorf("keep replies: %w", err)
	}
	return tx.SetEventReplies(ctx, id, b)
}

// keptReplies returns the replies kept with the seen event id; nil when
// none were.
func keptReplies(ctx context.Context, tx tickets.Tx, id string) ([]chat.Reply, error) {
	b, err := tx.EventReplies(ctx, id)
	if err != nil || b == nil {
		return nil, err
	}
	var kept []keptReply
	if err := json.Unmarshal(b, &kept); err != nil {
		return nil, fmt.Errorf("kept replies of %s: %w", id, err)
	}
	replies := make([]chat.Reply, len(kept))
	for i, k := range kept {
		replies[i] = chat.Reply{Text: k.Text, Buttons: k.Buttons, Ephemeral: k.Ephemeral}
	}
	return replies, nil
}
