package discord

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Discord allows a bot 50 requests a second in all routes together
// (interaction callbacks and follow-ups aside). The transport spaces
// requests to stay under it before Discord has to answer 429: in any
// second at most globalBurst plus globalPerSecond go out, 45 in all,
// leaving room for requests that reach Discord closer together than they
// left (one delayed on its way, the next not).
const (
	globalPerSecond = 40
	globalBurst     = 5
)

// newGlobalPace is the pacing of the requests the global limit counts.
func newGlobalPace() *rate.Limiter { return rate.NewLimiter(globalPerSecond, globalBurst) }

// globalExempt reports whether a request to path is outside the global
// limit: an interaction's callback and its follow-ups through the
// interaction's webhook, which must never wait behind the bot's posts
// (a callback has 3 s).
func globalExempt(path string) bool {
	return strings.Contains(path, "/interactions/") || strings.Contains(path, "/webhooks/")
}

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

// watchGlobal is a RoundTripper that paces the requests Discord's global
// limit counts (pace; nil paces nothing) and notes every 429 Discord marks
// as global: discordgo's errors keep neither its headers nor its body's
// "global", so the limit is read on the way back. Requests wait for their
// turn on the goroutine that makes them: the reply queue and the outbox,
// or a worker's look-up, never the gateway's reader.
type watchGlobal struct {
	next http.RoundTripper
	g    *globalLimit
	pace *rate.Limiter
}

// RoundTrip waits for r's turn, passes it on and notes a global limit in
// the answer.
func (w watchGlobal) RoundTrip(r *http.Request) (*http.Response, error) {
	if w.pace != nil && !globalExempt(r.URL.Path) {
		if err := w.pace.Wait(r.Context()); err != nil {
			if r.Body != nil {
				_ = r.Body.Close() // a RoundTripper closes the body, even on an error
			}
			return nil, fmt.Errorf("discord: waiting for a turn under the global rate limit: %w", err)
		}
	}
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
