package discordfake

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Window is a fixed-window bucket as Discord runs them: Limit requests,
// then none until Per has passed since the window opened. The zero Window
// is no limit.
type Window struct {
	Limit int
	Per   time.Duration
}

// On reports whether w limits anything.
func (w Window) On() bool { return w.Limit > 0 && w.Per > 0 }

// Limits are the rate limits the fake enforces, shaped as Discord
// documents them (discord.com/developers/docs/topics/rate-limits): a
// global limit on all of a bot's requests except interaction callbacks
// and follow-ups, and per-route buckets keyed by the route and its major
// parameter (the channel, guild or webhook). Each answer carries the
// route bucket's X-RateLimit-* headers; a request over a limit is answered
// 429 with Retry-After and a JSON body with retry_after and global.
type Limits struct {
	// Global limits every request but interactions' together (Discord:
	// 50 a second).
	Global Window
	// Messages limits POST /channels/{id}/messages per channel (Discord:
	// 5 every 5 seconds).
	Messages Window
	// Routes limits every other route per route and major parameter.
	// Discord publishes no figure for them (they are learnt from the
	// headers); DiscordLimits uses 5 a second.
	Routes Window
}

// On reports whether l limits anything.
func (l Limits) On() bool { return l.Global.On() || l.Messages.On() || l.Routes.On() }

// DiscordLimits are Discord's limits as documented: 50 requests a second
// globally, 5 messages every 5 seconds per channel, and 5 a second on the
// other routes.
func DiscordLimits() Limits {
	return Limits{Global: Window{50, time.Second}, Messages: Window{5, 5 * time.Second}, Routes: Window{5, time.Second}}
}

// String describes l for a person.
func (l Limits) String() string {
	var parts []string
	if l.Global.On() {
		parts = append(parts, fmt.Sprintf("%d per %s in all", l.Global.Limit, l.Global.Per))
	}
	if l.Messages.On() {
		parts = append(parts, fmt.Sprintf("%d messages per %s per channel", l.Messages.Limit, l.Messages.Per))
	}
	if l.Routes.On() {
		parts = append(parts, fmt.Sprintf("%d per %s per route", l.Routes.Limit, l.Routes.Per))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ") + "; 429 with retry_after over them"
}

// bucket is one window's state.
type bucket struct {
	w     Window
	start time.Time
	used  int
}

// reset is when b's window closes, seen at now (a new window opens at now
// when the last one closed).
func (b *bucket) roll(now time.Time) {
	if now.Sub(b.start) >= b.w.Per {
		b.start, b.used = now, 0
	}
}

// limiter holds the buckets of Limits, made as requests name them.
type limiter struct {
	limits  Limits
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter(l Limits) *limiter { return &limiter{limits: l, buckets: map[string]*bucket{}} }

// verdict is what the limiter says of one request: its route bucket's
// state for the headers, and whether it is refused and by which limit.
type verdict struct {
	routed    bool
	key       string
	limit     int
	remaining int
	resetAt   time.Time
	refused   bool
	global    bool
	retry     time.Duration
}

// admit counts a request on route (its template, like "POST
// /channels/{id}/messages") with major parameter major against the
// buckets it draws on, or refuses it and counts nothing.
func (l *limiter) admit(route, major string, interaction bool, now time.Time) verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	var v verdict
	w := l.limits.Routes
	if route == "POST /channels/{id}/messages" {
		w = l.limits.Messages
	}
	var rb *bucket
	if w.On() {
		v.key = route + " " + major
		rb = l.get(v.key, w, now)
		v.routed, v.limit, v.resetAt = true, w.Limit, rb.start.Add(w.Per)
		if rb.used >= w.Limit {
			v.refused, v.retry = true, v.resetAt.Sub(now)
			return v
		}
	}
	if l.limits.Global.On() && !interaction {
		gb := l.get("global", l.limits.Global, now)
		if gb.used >= l.limits.Global.Limit {
			v.refused, v.global, v.retry = true, true, gb.start.Add(l.limits.Global.Per).Sub(now)
			if rb != nil {
				v.remaining = rb.w.Limit - rb.used
			}
			return v
		}
		gb.used++
	}
	if rb != nil {
		rb.used++
		v.remaining = w.Limit - rb.used
	}
	return v
}

func (l *limiter) get(key string, w Window, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{w: w, start: now}
		l.buckets[key] = b
	}
	b.roll(now)
	return b
}

// headers writes v's X-RateLimit-* headers, and on a refusal Retry-After.
// A global refusal carries no route bucket headers, as Discord's do not.
func (v verdict) headers(h http.Header, now time.Time) {
	if v.routed && !v.global {
		after := max(v.resetAt.Sub(now), 0)
		h.Set("X-RateLimit-Limit", strconv.Itoa(v.limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(v.remaining, 0)))
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(v.resetAt.UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after.Seconds(), 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", fmt.Sprintf("%x", hash(v.key)))
	}
	if v.refused {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(v.retry.Seconds()))))
		scope := "user"
		if v.global {
			scope = "global"
			h.Set("X-RateLimit-Global", "true")
		}
		h.Set("X-RateLimit-Scope", scope)
	}
}

// hash is a stable bucket ID for a key (FNV-1a).
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
