package slackfake

import (
	"fmt"
	"net/http"
)

// Fault is how a Web API call fails when a test scripts it with Fail.
type Fault struct {
	// Status is the HTTP status: 429, 500, 503, or 200 (0 means 200)
	// for a refusal in the body.
	Status int
	// RetryAfter, in whole seconds, goes in the Retry-After header when
	// set, as Slack sends it with 429.
	RetryAfter int
	// Error is the code of Slack's {"ok":false,"error":...} body
	// ("token_revoked", "channel_not_found"); empty, the body is empty.
	Error string
}

// fault is a scripted Fault and how many more calls it answers.
type fault struct {
	Fault
	left int // < 0: until ClearFaults
}

// Fail makes the next n calls of method (chat.postMessage, auth.test…)
// answer f instead of being served; a negative n, every call until
// ClearFaults. Faults come before the rate limits and queue after those
// already scripted for method.
func (s *Server) Fail(method string, n int, f Fault) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], fault{Fault: f, left: n})
}

// ClearFaults drops the faults scripted for method, or for every method
// when method is "": its calls are served again.
func (s *Server) ClearFaults(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		clear(s.faults)
		return
	}
	delete(s.faults, method)
}

// takeFault uses up one call of method's next fault, if it has one.
func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[method]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].Fault
	if q[0].left > 0 {
		q[0].left--
		if q[0].left == 0 {
			q = q[1:]
		}
	}
	if len(q) == 0 {
		delete(s.faults, method)
	} else {
		s.faults[method] = q
	}
	return f, true
}

func (f Fault) status() int {
	if f.Status == 0 {
		return http.StatusOK
	}
	return f.Status
}

// write answers the call with the fault.
func (f Fault) write(w http.ResponseWriter) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(f.RetryAfter))
	}
	w.WriteHeader(f.status())
	if f.Error != "" {
		fmt.Fprintf(w, `{"ok":false,"error":%q}`, f.Error)
	}
}
