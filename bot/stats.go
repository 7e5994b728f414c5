package bot

import (
	"sync/atomic"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Stats counts what the desk did since start, for metrics. The core does
// not know Prometheus; cmd/helpdesk exposes these counters.
type Stats struct {
	Messages    atomic.Int64 // inbound messages handled
	Actions     atomic.Int64 // button presses and form submissions handled
	Failures    atomic.Int64 // messages and actions answered with an internal error
	TimersFired atomic.Int64 // scheduler timers acted on
	Replies     atomic.Int64 // replies returned to the sender of a message or action
	// Handling times Handle and HandleAction, from the call to the replies.
	Handling chat.Latency
}

// Stats returns the bot's counters.
func (b *Bot) Stats() *Stats { return &b.stats }
