package discordfake

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"time"
)

// Stats is what the fake saw: requests and refusals by route, how densely
// the bot posted to each channel, and how it opened its gateway sessions.
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
	// Identify holds the data of each Identify the bot sent (its token,
	// intents and shard), in order; Resumes counts the sessions it
	// resumed instead.
	Identify []json.RawMessage
	Resumes  int
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
	ids     []json.RawMessage
	resumes int
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

// session counts a gateway session opened with an Identify carrying d,
// or a Resume.
func (s *stats) session(resume bool, d json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if resume {
		s.resumes++
	} else {
		s.ids = append(s.ids, d)
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
		Posts: maps.Clone(s.stats.posts), PeakPerSecond: map[string]int{},
		Identify: slices.Clone(s.stats.ids), Resumes: s.stats.resumes}
	for ch, r := range s.stats.rates {
		out.PeakPerSecond[ch] = r.peak
	}
	return out
}
