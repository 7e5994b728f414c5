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
	"sync/atomic"
	"time"
)

// web is the HTTP server of http.addr, in every mode: /healthz, /readyz
// and /metrics, and the platforms' own endpoints. It listens before the
// database is opened, so /readyz can say the bot is still migrating;
// the rest is registered as the parts it serves are built.
type web struct {
	addr string // what it listens on, port resolved
	mux  *http.ServeMux
	srv  *http.Server
	log  *slog.Logger
	// database is set once the database is open and migrated.
	database atomic.Bool
	// chats are the running chats, once started.
	chats atomic.Pointer[[]*probe]
	// kbReady is closed once the knowledge base's search index is built
	// (it builds in the background while the chats connect).
	kbReady atomic.Pointer[<-chan struct{}]
	stop    sync.Once
	done    chan struct{}
}

// probe is one running chat as /healthz and /readyz see it.
type probe struct {
	name string
	// health is nil while the chat's platform answers, else what is
	// wrong; a nil func is a chat that is always up (the console).
	health func() error
	// up is set the first time health was nil: the platform's first
	// call succeeded.
	up atomic.Bool
}

// check is the chat's health now, noting its first success.
func (p *probe) check() error {
	if p.health == nil {
		p.up.Store(true)
		return nil
	}
	err := p.health()
	if err == nil {
		p.up.Store(true)
	}
	return err
}

// state is one line of /healthz or /readyz.
type state struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func stateOf(err error) state {
	if err != nil {
		return state{Error: err.Error()}
	}
	return state{OK: true}
}

// listenWeb starts serving on addr; the caller stops it with close.
func listenWeb(addr string, log *slog.Logger) (*web, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http.addr %s: %w; choose a free address (for example :8080) or leave http.addr empty to serve nothing", addr, err)
	}
	w := &web{addr: ln.Addr().String(), mux: http.NewServeMux(), log: log, done: make(chan struct{})}
	w.mux.HandleFunc("GET /healthz", w.serveHealth)
	w.mux.HandleFunc("GET /readyz", w.serveReady)
	w.srv = &http.Server{Handler: w.mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(w.done)
		if err := w.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	log.Info("http listening", "addr", w.addr)
	return w, nil
}

// handle serves more routes, by pattern ("POST /slack/events").
func (w *web) handle(routes map[string]http.Handler) {
	for pattern, h := range routes {
		w.mux.Handle(pattern, h)
	}
}

// setChats names the chats /healthz and /readyz report from now on.
func (w *web) setChats(chats []*probe) { w.chats.Store(&chats) }

// serveHealth is /healthz: each running chat's state, 503 while one is
// down. Before the chats start it reports none, with 200: the process is
// alive, and /readyz says what it waits for.
func (w *web) serveHealth(rw http.ResponseWriter, r *http.Request) {
	out := map[string]state{}
	ok := true
	if chats := w.chats.Load(); chats != nil {
		for _, c := range *chats {
			err := c.check()
			out[c.name] = stateOf(err)
			ok = ok && err == nil
		}
	}
	writeState(rw, out, ok)
}

// setKB names the channel closed when the knowledge base's index is ready.
func (w *web) setKB(ready <-chan struct{}) { w.kbReady.Store(&ready) }

// serveReady is /readyz: 200 once the database is migrated, the knowledge
// base's index is built and every chat's platform has answered once; until
// then 503, saying what it waits for. A rolling deploy that waits for it
// keeps the old replica answering while the new one builds its index.
func (w *web) serveReady(rw http.ResponseWriter, r *http.Request) {
	out := map[string]state{"database": {OK: true}}
	ok := true
	if !w.database.Load() {
		out["database"] = state{Error: "opening the database and applying its migrations"}
		ok = false
	}
	if ready := w.kbReady.Load(); ready != nil {
		select {
		case <-*ready:
			out["knowledge_base"] = state{OK: true}
		default:
			out["knowledge_base"] = state{Error: "building the search index (reports that arrive meanwhile wait for it)"}
			ok = false
		}
	}
	chats := w.chats.Load()
	if chats == nil {
		out["chat"] = state{Error: "not started yet"}
		ok = false
	} else {
		for _, c := range *chats {
			err := c.check()
			if c.up.Load() {
				out[c.name] = state{OK: true}
				continue
			}
			out[c.name] = state{Error: fmt.Sprintf("waiting for the first successful call to the platform: %v", err)}
			ok = false
		}
	}
	writeState(rw, out, ok)
}

func writeState(rw http.ResponseWriter, out map[string]state, ok bool) {
	rw.Header().Set("Content-Type", "application/json")
	if !ok {
		rw.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(rw).Encode(out)
}

// close stops the server, letting requests in flight finish for a few
// seconds. It may be called more than once.
func (w *web) close() {
	w.stop.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = w.srv.Shutdown(ctx)
		<-w.done
	})
}
