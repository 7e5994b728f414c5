package discordfake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFaultsAndCallLog: a fault fails as many requests as it says, a lost
// answer's message is made all the same, a removed fault fails no more,
// and the log holds every request with the answer it got.
func TestFaultsAndCallLog(t *testing.T) {
	s, err := Start(Options{KeepCalls: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	post := func(text string) int {
		t.Helper()
		resp, err := http.Post(s.URL()+"/api/v10/channels/"+Triage+"/messages", "application/json", strings.NewReader(`{"content":"`+text+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	path := "/channels/" + Triage + "/messages"
	s.AddFault(Fault{Method: "POST", Path: "/messages", N: 1, Status: 500, Body: `{"message":"down","code":0}`})
	if a, b := post("one"), post("two"); a != 500 || b != 200 {
		t.Errorf("a fault of one request: %d then %d, want 500 then 200", a, b)
	}
	s.AddFault(Fault{Method: "POST", Path: path, N: 1, Status: 502, Lost: true})
	if got := post("three"); got != 502 {
		t.Errorf("lost answer: %d, want 502", got)
	}
	up := s.AddFault(Fault{Method: "POST", Path: path, Status: 503})
	if a, b := post("four"), post("five"); a != 503 || b != 503 {
		t.Errorf("a fault until removed: %d, %d", a, b)
	}
	up()
	if got := post("six"); got != 200 {
		t.Errorf("after removal: %d", got)
	}
	if n := s.Stats().Posts[Triage]; n != 3 {
		t.Errorf("%d messages made, want two, three (its answer lost) and six", n)
	}

	calls := s.Calls(0)
	if len(calls) != 6 || calls[0].Status != 500 || calls[1].Status != 200 || !strings.Contains(string(calls[1].Resp), `"id":"`) ||
		calls[2].Status != 502 || string(calls[5].Body) != `{"content":"six"}` {
		t.Fatalf("log = %+v", calls)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, next, err := s.WaitCall(ctx, 2, "POST", path, "four")
	if err != nil || c.Status != 503 || next != 4 {
		t.Errorf("WaitCall from 2 = %+v %d %v", c, next, err)
	}
	waited := make(chan error, 1)
	go func() { _, _, err := s.WaitCall(ctx, next, "POST", path, "seven"); waited <- err }()
	post("seven")
	if err := <-waited; err != nil {
		t.Errorf("WaitCall for a later request: %v", err)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, _, err := s.WaitCall(short, 0, "GET", "/users/@me", ""); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "seven") {
		t.Errorf("WaitCall that gives up: %v, want the calls it saw", err)
	}

	quiet, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	if _, _, err := quiet.WaitCall(ctx, 0, "POST", path, ""); !errors.Is(err, errNoLog) {
		t.Errorf("WaitCall without KeepCalls: %v", err)
	}
}
