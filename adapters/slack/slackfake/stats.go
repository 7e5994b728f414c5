package slackfake

import (
	"maps"
	"sync"
	"time"
)

// Stats is what the fake saw: calls and refusals by method, acks, and how
// densely the bot posted to each channel.
type Stats struct {
	Calls   map[string]int // Web API calls by method, refused ones included
	Limited map[string]int // calls answered 429, by method
	Acks    int
	// Posts counts chat.postMessage and chat.postEphemeral by channel.
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
	acks    int
	posts   map[string]int
	rates   map[string]*channelRate
}

func newStats() stats {
	return stats{calls: map[string]int{}, limited: map[string]int{}, posts: map[string]int{}, rates: map[string]*channelRate{}}
}

func (s *stats) call(method string, limited bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	if limited {
		s.limited[method]++
	}
}

func (s *stats) ack() {
	s.mu.Lock()
	s.acks++
	s.mu.Unlock()
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
	out := Stats{Calls: maps.Clone(s.stats.calls), Limited: maps.Clone(s.stats.limited), Acks: s.stats.acks,
		Posts: maps.Clone(s.stats.posts), PeakPerSecond: map[string]int{}}
	for ch, r := range s.stats.rates {
		out.PeakPerSecond[ch] = r.peak
	}
	return out
}
