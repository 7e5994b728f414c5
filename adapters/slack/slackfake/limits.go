package slackfake

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a token bucket: PerSecond calls on average, Burst at once. The
// zero Rate is no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// On reports whether r limits anything.
func (r Rate) On() bool { return r.PerSecond > 0 }

// Limits are the rate limits the fake enforces, shaped as Slack documents
// them (api.slack.com/apis/rate-limits): a per-method tier for the
// workspace, chat.postMessage about one a second per channel with short
// bursts, and, for the fake only, a cap on all calls together. A call over
// a limit is answered 429 with Retry-After and {"ok":false,"error":
// "ratelimited"}, as Slack answers it.
type Limits struct {
	// PerChannel limits chat.postMessage (and chat.postEphemeral) per
	// channel.
	PerChannel Rate
	// Tiers limits each method by its tier; Methods maps a method to its
	// tier (MethodTiers() when nil).
	Tiers   map[int]Rate
	Methods map[string]int
	// Global limits every Web API call together.
	Global Rate
}

// MethodTiers returns the tiers Slack's documentation gives the methods
// the help desk calls, a new map each time (a caller may change its own).
// chat.postMessage and chat.postEphemeral are "special" (per channel,
// PerChannel), so they are in no tier here.
func MethodTiers() map[string]int {
	return map[string]int{
		"auth.test": 4, "apps.connections.open": 1, "conversations.open": 3, "conversations.history": 3,
		"users.info": 4, "usergroups.users.list": 2, "views.open": 4, "chat.update": 3,
	}
}

// SlackTiers are Slack's published per-minute rates of tiers 1–4 ("20+",
// "50+", "100+" a minute), with a minute's worth allowed at once.
func SlackTiers() map[int]Rate {
	return map[int]Rate{
		1: {PerSecond: 1.0 / 60, Burst: 1},
		2: {PerSecond: 20.0 / 60, Burst: 20},
		3: {PerSecond: 50.0 / 60, Burst: 50},
		4: {PerSecond: 100.0 / 60, Burst: 100},
	}
}

// limiter holds the buckets of Limits, made as calls name them.
type limiter struct {
	limits  Limits
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newLimiter(l Limits) *limiter {
	if l.Methods == nil {
		l.Methods = MethodTiers()
	}
	return &limiter{limits: l, buckets: map[string]*rate.Limiter{}}
}

// admit takes a token from every bucket the call of method to channel
// draws on, or none and the wait until one would be free.
func (l *limiter) admit(method, channel string, now time.Time) (ok bool, retry time.Duration) {
	type draw struct {
		key string
		r   Rate
	}
	var draws []draw
	if l.limits.Global.On() {
		draws = append(draws, draw{"global", l.limits.Global})
	}
	if tier, ok := l.limits.Methods[method]; ok {
		if r := l.limits.Tiers[tier]; r.On() {
			draws = append(draws, draw{"method:" + method, r})
		}
	}
	if (method == "chat.postMessage" || method == "chat.postEphemeral") && channel != "" && l.limits.PerChannel.On() {
		draws = append(draws, draw{"channel:" + channel, l.limits.PerChannel})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var taken []*rate.Reservation
	for _, d := range draws {
		b, ok := l.buckets[d.key]
		if !ok {
			b = rate.NewLimiter(rate.Limit(d.r.PerSecond), max(d.r.Burst, 1))
			l.buckets[d.key] = b
		}
		res := b.ReserveN(now, 1)
		if delay := res.DelayFrom(now); delay > 0 {
			res.CancelAt(now)
			for _, t := range taken {
				t.CancelAt(now)
			}
			return false, delay
		}
		taken = append(taken, res)
	}
	return true, 0
}

// retryAfter is a wait as Slack writes it in Retry-After: whole seconds,
// at least one.
func retryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
