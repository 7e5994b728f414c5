package discordfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Call is one REST request the fake answered, as the bot sent it.
type Call struct {
	// Method and Path are the request's; Path is after /api/vN
	// ("/channels/1/messages").
	Method, Path string
	// Body is the request's body as sent.
	Body json.RawMessage
	// Status and Resp are the fake's answer (Resp is nil for none, as an
	// interaction callback's 204).
	Status int
	Resp   json.RawMessage
	// At is when the request arrived.
	At time.Time
}

// Matches reports whether c is a method request whose path ends in path
// (or, for a path ending in "/", begins with it: "/webhooks/1/") and
// whose body holds has ("" for any body).
func (c Call) Matches(method, path, has string) bool {
	if c.Method != method || !strings.Contains(string(c.Body), has) {
		return false
	}
	if strings.HasSuffix(path, "/") {
		return strings.HasPrefix(c.Path, path)
	}
	return strings.HasSuffix(c.Path, path)
}

// errNoLog is returned by WaitCall without Options.KeepCalls.
var errNoLog = errors.New("discordfake: REST calls are not kept (Options.KeepCalls)")

// logCall adds c to the log and wakes those waiting on it.
func (s *Server) logCall(c Call) {
	if !s.opts.KeepCalls {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if s.logged != nil {
		close(s.logged)
		s.logged = nil
	}
}

// Calls returns the REST requests logged from the from-th on (from 0,
// all of them), in the order they were answered; len(Calls(0)) is a mark
// to look after later. It is empty without Options.KeepCalls.
func (s *Server) Calls(from int) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from >= len(s.calls) {
		return nil
	}
	return append([]Call(nil), s.calls[from:]...)
}

// WaitCall waits for the first logged request from the from-th on that
// Matches method, path and has, and returns it with the mark just after
// it. Giving up when ctx ends, it lists the requests it saw instead.
func (s *Server) WaitCall(ctx context.Context, from int, method, path, has string) (Call, int, error) {
	if !s.opts.KeepCalls {
		return Call{}, 0, errNoLog
	}
	for next := from; ; {
		s.mu.Lock()
		for ; next < len(s.calls); next++ {
			if c := s.calls[next]; c.Matches(method, path, has) {
				s.mu.Unlock()
				return c, next + 1, nil
			}
		}
		if s.logged == nil {
			s.logged = make(chan struct{})
		}
		logged := s.logged
		s.mu.Unlock()
		select {
		case <-logged:
		case <-ctx.Done():
			var seen []string
			for _, c := range s.Calls(from) {
				seen = append(seen, fmt.Sprintf("%s %s %d %s", c.Method, c.Path, c.Status, clip(string(c.Body), 300)))
			}
			return Call{}, 0, fmt.Errorf("discordfake: no %s %s with %q (%w); calls since %d:\n%s",
				method, path, has, ctx.Err(), from, strings.Join(seen, "\n"))
		}
	}
}

// clip shortens s to at most n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
