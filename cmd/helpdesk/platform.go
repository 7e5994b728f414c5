package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// platform is one chat adapter run beside the core: Slack, Discord.
type platform struct {
	name   string
	sender chat.Sender
	// run connects and serves until ctx ends; it returns nil then. It keeps
	// running, and reports through health, while the platform is down.
	run func(ctx context.Context) error
	// routes are the HTTP endpoints the platform serves, by pattern
	// ("POST /slack/events").
	routes map[string]http.Handler
	// health is nil when the platform is connected, else what is wrong.
	health func() error
}

// deps is what an adapter is built from.
type deps struct {
	core    *bot.Bot
	workers *chat.Workers
	inbox   *chat.Inbox
	// wakeOutbox tells the dispatcher an adapter queued a message.
	wakeOutbox func()
	store      tickets.Store
	log        *slog.Logger
	now        func() time.Time
	// acks gives the latency a platform times its acknowledgements over
	// a transport into, for /metrics; nil times none.
	acks func(platform, transport string) *chat.Latency
}

// ackLatency is d.acks(platform, transport), or nil without acks.
func (d deps) ackLatency(platform, transport string) *chat.Latency {
	if d.acks == nil {
		return nil
	}
	return d.acks(platform, transport)
}

// runPlatforms runs the platforms until ctx ends, or one fails.
func runPlatforms(ctx context.Context, ps []*platform) error {
	// One part failing stops the others, so the error is reported rather
	// than the process hanging on the rest.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, len(ps))
	for _, p := range ps {
		wg.Go(func() {
			if err := p.run(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", p.name, err)
			}
		})
	}
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc:
	}
	cancel()
	wg.Wait()
	return first
}

// needAddr is an error when a platform serves HTTP endpoints but there is
// no address to serve them on.
func needAddr(addr string, ps []*platform) error {
	for _, p := range ps {
		if len(p.routes) > 0 && addr == "" {
			return fmt.Errorf("http.addr is empty but %s serves HTTP endpoints; set http.addr (for example :8080) or switch it to its socket connection", p.name)
		}
	}
	return nil
}
