package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
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
	store   tickets.Store
	log     *slog.Logger
	now     func() time.Time
}

// runPlatforms runs the platforms and, when addr is set, the HTTP server
// with their routes and /healthz, until ctx ends.
// extra are more routes to serve (/metrics).
func runPlatforms(ctx context.Context, addr string, ps []*platform, extra map[string]http.Handler, log *slog.Logger, ready func(addr string)) error {
	// One part failing stops the others, so the error is reported rather
	// than the process hanging on the rest.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mux := http.NewServeMux()
	for pattern, h := range extra {
		mux.Handle(pattern, h)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		status, ok := healthOf(ps)
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(status)
	})
	routes := 0
	for _, p := range ps {
		for pattern, h := range p.routes {
			mux.Handle(pattern, h)
			routes++
		}
	}
	if addr == "" && routes > 0 {
		return errors.New("http.addr is empty but the configured platforms serve HTTP endpoints; set http.addr (for example :8080) or switch them to their socket connections")
	}

	var wg sync.WaitGroup
	errc := make(chan error, len(ps)+1)
	if addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("http.addr %s: %w", addr, err)
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("http: %w", err)
			}
		}()
		go func() {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		log.Info("http listening", "addr", ln.Addr().String())
		if ready != nil {
			ready(ln.Addr().String())
		}
	} else if ready != nil {
		ready("")
	}
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.run(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", p.name, err)
			}
		}()
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

// platformHealth is one platform's line of /healthz.
type platformHealth struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// healthOf reports every platform's state and whether all are up.
func healthOf(ps []*platform) (map[string]platformHealth, bool) {
	out := map[string]platformHealth{}
	all := true
	for _, p := range ps {
		h := platformHealth{OK: true}
		if p.health != nil {
			if err := p.health(); err != nil {
				h = platformHealth{Error: err.Error()}
				all = false
			}
		}
		out[p.name] = h
	}
	return out, all
}
