package discordfake

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Fault makes matching REST requests fail as Discord fails them: an
// outage (5xx), a refusal (401, 403), a rate limit the fake's own limits
// would not give (a global 429 with its headers).
type Fault struct {
	// Method and Path match a request; Path is the end of its path after
	// /api/vN ("/users/@me", "/channels/1/messages", "/threads").
	Method, Path string
	// N is how many matching requests fail; zero fails every one until
	// the fault is removed.
	N int
	// Status, Header and Body (JSON) are the answer.
	Status int
	Header http.Header
	Body   string
	// Lost lets the request take effect before it fails, as when
	// Discord's answer is lost on the way.
	Lost bool
}

// fault is a Fault in force.
type fault struct {
	Fault
	used    int
	removed bool
}

// AddFault fails the requests f matches from now on (a fault added
// earlier that matches too goes first); remove ends it.
func (s *Server) AddFault(f Fault) (remove func()) {
	fl := &fault{Fault: f}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fl)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		fl.removed = true
	}
}

// takeFault is the fault a request meets, counted as used.
func (s *Server) takeFault(method, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, fl := range s.faults {
		if fl.removed || (fl.N > 0 && fl.used >= fl.N) || fl.Method != method || !strings.HasSuffix(path, fl.Path) {
			continue
		}
		fl.used++
		return fl.Fault, true
	}
	return Fault{}, false
}

// write answers with the fault and returns what it wrote.
func (f Fault) write(w http.ResponseWriter) (int, json.RawMessage) {
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return f.Status, json.RawMessage(f.Body)
}
