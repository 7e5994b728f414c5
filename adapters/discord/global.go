package discord

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// globalLimit keeps Discord's global rate limit (a 429 with
// X-RateLimit-Global, or "global": true in its body) for every route.
// discordgo v0.29 records a global limit only when the 429 carries
// X-RateLimit-Reset-After, which global ones do not, so the next request
// to another route went out at once and met another 429. Outbox sends ask
// here first and wait in the outbox; a direct reply meeting the limit goes
// to the outbox too. discordgo's own limiter is left alone: interaction
// callbacks are not bound by the global limit, and a reader must never
// sleep on it.
type globalLimit struct {
	now func() time.Time

	mu    sync.Mutex
	until time.Time
}

// note records a global limit of d.
func (g *globalLimit) note(d time.Duration) {
	d = max(d, 50*time.Millisecond)
	g.mu.Lock()
	if until := g.now().Add(d); until.After(g.until) {
		g.until = until
	}
	g.mu.Unlock()
}

// wait is how long a request must still wait for the global limit.
func (g *globalLimit) wait() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return max(g.until.Sub(g.now()), 0)
}

// errGlobalLimit is why an outbox send waits without calling Discord.
var errGlobalLimit = errors.New("discord: waiting out Discord's global rate limit")

// watchGlobal is a RoundTripper that notes every 429 Discord marks as
// global: discordgo's errors keep neither its headers nor its body's
// "global", so the limit is read on the way back.
type watchGlobal struct {
	next http.RoundTripper
	g    *globalLimit
}

// RoundTrip passes r on and notes a global limit in the answer.
func (w watchGlobal) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := w.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	h := resp.Header
	if h.Get("X-RateLimit-Global") != "true" && h.Get("X-RateLimit-Scope") != "global" {
		return resp, err
	}
	secs, perr := strconv.ParseFloat(h.Get("Retry-After"), 64)
	if perr != nil || secs <= 0 {
		secs = 1
	}
	w.g.note(time.Duration(secs * float64(time.Second)))
	return resp, err
}
