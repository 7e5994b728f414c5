package slackfake

import "slices"

// pendingEnvelope is an envelope sent and not yet acknowledged, kept for
// redelivery (Options.Redeliver).
type pendingEnvelope struct {
	id       string
	msg      map[string]any
	attempts int
	written  bool // false while it waited for a connection: its first delivery is no retry
}

// keep records an envelope for redelivery until its ack.
func (s *Server) keep(id string, msg map[string]any, written bool) {
	s.mu.Lock()
	s.pending = append(s.pending, pendingEnvelope{id: id, msg: msg, written: written})
	s.mu.Unlock()
}

// acked forgets an acknowledged envelope.
func (s *Server) acked(id string) {
	s.mu.Lock()
	s.pending = slices.DeleteFunc(s.pending, func(p pendingEnvelope) bool { return p.id == id })
	s.mu.Unlock()
}

// redeliverable are the envelopes to send on a new connection: those that
// waited for it as they are, those sent before again with Slack's
// retry_attempt and retry_reason set.
func (s *Server) redeliverable() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.pending))
	for i := range s.pending {
		p := &s.pending[i]
		if !p.written {
			p.written = true
			out = append(out, p.msg)
			continue
		}
		p.attempts++
		msg := make(map[string]any, len(p.msg)+2)
		for k, v := range p.msg {
			msg[k] = v
		}
		s.redelivered++
		msg["retry_attempt"] = p.attempts
		msg["retry_reason"] = "timeout"
		out = append(out, msg)
	}
	return out
}

// Unacknowledged counts the envelopes sent and not yet acknowledged (with
// Options.Redeliver; 0 without).
func (s *Server) Unacknowledged() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Redelivered counts the envelopes sent again on a new connection (with
// Options.Redeliver).
func (s *Server) Redelivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redelivered
}
