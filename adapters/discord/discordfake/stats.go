package discordfake

import (
	"maps"
	"sync"
	"time"
)

// Stats is what the fake saw: requests and refusals by route, and how
// densely the bot posted to each channel.
type Stats struct {
	Calls   map[string]int // REST requests by route, refused ones included
	Limited map[string]int // requests answered 429, by route
	// Global is how many of those 429s the global limit gave (the rest
	// are the route buckets').
	Global int
	// Posts counts messages created (messages, follow-ups and callbacks
	// with a message) by channel.
	Posts map[string]int
	// PeakPerSecond is the most posts a channel got within one calendar
	// second, by channel.
	PeakPerSecond map[string]int
}

type channelRate struct {
	sec  int64
	n    int
	peak int
}

type stats struct {
	mu      sync.Mutex
	calls   map[string]int
	limited map[string]int
	global  int
	posts   map[string]int
	rates   map[string]*channelRate
}

func newStats() stats {
	return stats{calls: map[string]int{}, limited: map[string]int{}, posts: map[string]int{}, rates: map[string]*channelRate{}}
}

func (s *stats) call(route string, v verdict) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[route]++
	if v.refused {
		s.limited[route]++
	}
	if v.global {
		s.global++
	}
}

func (s *stats) post(channel string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts[channel]++
	r, ok := s.rates[channel]
	if !ok {
		r = &channelRate{}
		s.rates[channel] = r
	}
	if sec := at.Unix(); sec != r.sec {
		r.sec, r.n = sec, 0
	}
	r.n++
	r.peak = max(r.peak, r.n)
}

// Stats returns a copy of what the fake saw so far.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := Stats{Calls: maps.Clone(s.stats.calls), Limited: maps.Clone(s.stats.limited), Global: s.stats.global,
		Posts: maps.Clone(s.stats.posts), PeakPerSecond: map[string]int{}}
	for ch, r := range s.stats.rates {
		out.PeakPerSecond[ch] = r.peak
	}
	return out
}
