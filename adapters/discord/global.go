package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
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

// paceMargin is the least a request must have left of its deadline once
// its turn comes: one taking its turn later would likely time out on its
// way back, after Discord took it, and a reply handed to the outbox then
// would be posted twice.
const paceMargin = 2 * time.Second

// errPacedGlobal is why a request is not sent: its turn under the global
// limit comes too close to its deadline.
var errPacedGlobal = errors.New("discord: the global rate limit's next turn comes too close to the request's deadline")

// paceTurn waits for a request's turn under pace, or returns a RetryError
// at once, without waiting or sending, when the turn would leave less
// than paceMargin of ctx's deadline: the caller (the outbox, or a reply
// that falls back to it) tries again after the wait.
func paceTurn(ctx context.Context, pace *rate.Limiter) error {
	res := pace.Reserve()
	if !res.OK() {
		return errPacedGlobal
	}
	delay := res.Delay()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay+paceMargin {
		res.Cancel()
		return chat.RetryAfter(errPacedGlobal, delay)
	}
	if delay <= 0 {
		return nil
	}
	if err := chat.Sleep(ctx, delay); err != nil {
		res.Cancel()
		return fmt.Errorf("discord: waiting for a turn under the global rate limit: %w", err)
	}
	return nil
}

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
		if err := paceTurn(r.Context(), w.pace); err != nil {
			if r.Body != nil {
				_ = r.Body.Close() // a RoundTripper closes the body, even on an error
			}
			return nil, err
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
