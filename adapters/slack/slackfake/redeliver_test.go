package slackfake

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestRedeliver: with Redeliver, an envelope the bot read but did not
// acknowledge comes again on its next connection, marked as a retry; one
// sent while it was away comes when it connects; an acknowledged one
// never comes again.
func TestRedeliver(t *testing.T) {
	s, err := Start(Options{Redeliver: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	url := "ws://" + strings.TrimPrefix(strings.TrimSuffix(s.APIURL(), "/api/"), "http://") + "/ws"
	type envelope struct {
		Type         string `json:"type"`
		EnvelopeID   string `json:"envelope_id"`
		RetryAttempt int    `json:"retry_attempt"`
	}
	connect := func() *websocket.Conn {
		t.Helper()
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	read := func(c *websocket.Conn) envelope {
		t.Helper()
		var e envelope
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := c.ReadJSON(&e); err != nil {
			t.Fatalf("read: %v", err)
		}
		return e
	}
	// Nobody connected: the envelope waits.
	first, err := s.DM("U1", "printer jammed")
	if err != nil {
		t.Fatalf("DM while disconnected: %v", err)
	}
	c := connect()
	if e := read(c); e.Type != "hello" {
		t.Fatalf("first frame %+v, want hello", e)
	}
	if e := read(c); e.EnvelopeID != first {
		t.Fatalf("got %+v, want the envelope %s sent while away", e, first)
	}
	second, err := s.DM("U2", "no wifi")
	if err != nil {
		t.Fatal(err)
	}
	if e := read(c); e.EnvelopeID != second || e.RetryAttempt != 0 {
		t.Fatalf("got %+v, want %s as a first attempt", e, second)
	}
	if err := c.WriteJSON(map[string]string{"envelope_id": second}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return s.Unacknowledged() == 1 })
	c.Close() // "killed" without acknowledging the first

	c = connect()
	defer c.Close()
	read(c) // hello
	if e := read(c); e.EnvelopeID != first || e.RetryAttempt < 1 {
		t.Fatalf("got %+v, want %s again as a retry", e, first)
	}
	if err := c.WriteJSON(map[string]string{"envelope_id": first}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return s.Unacknowledged() == 0 })
	if n := s.Redelivered(); n != 1 {
		t.Errorf("Redelivered() = %d, want 1", n)
	}
}

// waitFor waits for cond; the deadline only stops a hung test.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
	}
}
