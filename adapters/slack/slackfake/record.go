package slackfake

import (
	"encoding/json"
	"net/url"
	"time"
)

// Call is one Web API call the fake answered.
type Call struct {
	Method string
	Params url.Values // form-encoded or JSON, read as a form
	At     time.Time
	Status int // the HTTP status answered: 200, or a fault's, or 429 over a limit
}

// Ack is the bot's acknowledgement of a Socket Mode envelope.
type Ack struct {
	// Payload is what the bot answered with (a modal's errors), "null"
	// when nothing.
	Payload json.RawMessage
	At      time.Time
}

// record is what the fake keeps with Options.Record, under Server.mu.
type record struct {
	calls []Call
	posts []Post
	acks  map[string]Ack
}

func newRecord() record { return record{acks: map[string]Ack{}} }

// called records a Web API call.
func (s *Server) called(method string, params url.Values, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Record {
		s.log.calls = append(s.log.calls, Call{Method: method, Params: params, At: s.opts.Now(), Status: status})
	}
	s.changedLocked()
}

// ackRead records the acknowledgement of envelope id.
func (s *Server) ackRead(id string, payload json.RawMessage, at time.Time) {
	if payload == nil {
		payload = json.RawMessage("null")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Record {
		s.log.acks[id] = Ack{Payload: payload, At: at}
	}
	s.changedLocked()
}

// Calls returns the Web API calls so far, in order (with Options.Record).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.log.calls...)
}

// Posts returns the posts after the first from, in order: every
// chat.postMessage, chat.postEphemeral, chat.update and response_url
// answer (with Options.Record). len(Posts(0)) is a mark to pass as from
// later, for what came after it.
func (s *Server) Posts(from int) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.log.posts[min(max(from, 0), len(s.log.posts)):]...)
}

// Ack is the bot's acknowledgement of envelope id, false while there is
// none (with Options.Record; the last one if it acknowledged twice).
func (s *Server) Ack(envelopeID string) (Ack, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.log.acks[envelopeID]
	return a, ok
}
