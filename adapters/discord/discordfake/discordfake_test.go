package discordfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	l := Limits{Global: Window{3, time.Second}, Messages: Window{2, 5 * time.Second}, Routes: Window{10, time.Second}}
	post := "POST /channels/{id}/messages"
	lim := newLimiter(l)
	for _, c := range []struct {
		name        string
		route, maj  string
		interaction bool
		at          time.Duration
		refused     bool
		global      bool
		remaining   int
	}{
		{"first message in A", post, "A", false, 0, false, false, 1},
		{"second message in A", post, "A", false, 0, false, false, 0},
		{"third message in A: the channel's bucket", post, "A", false, 0, true, false, 0},
		{"a message in B: its own bucket", post, "B", false, 0, false, false, 1},
		{"fourth request in the second: global", post, "C", false, 0, true, true, 2},
		{"an interaction callback is not global", "POST /interactions/{id}/{id}/callback", "1/t", true, 0, false, false, 9},
		{"next second, A still full", post, "A", false, time.Second, true, false, 0},
		{"after five seconds A is open again", post, "A", false, 5 * time.Second, false, false, 1},
	} {
		v := lim.admit(c.route, c.maj, c.interaction, t0.Add(c.at))
		if v.refused != c.refused || v.global != c.global || (!v.refused && v.remaining != c.remaining) {
			t.Errorf("%s: refused %v global %v remaining %d; want %v %v %d", c.name, v.refused, v.global, v.remaining, c.refused, c.global, c.remaining)
		}
		if v.refused && v.retry <= 0 {
			t.Errorf("%s: refused without a wait", c.name)
		}
	}
}

func TestRouteOf(t *testing.T) {
	for _, c := range []struct{ method, path, route, major string }{
		{"POST", "/channels/300000000000000001/messages", "POST /channels/{id}/messages", "300000000000000001"},
		{"PATCH", "/channels/300000000000000001/messages/500000000000000002", "PATCH /channels/{id}/messages/{id}", "300000000000000001"},
		{"POST", "/webhooks/800000000000000001/tok-500000000000000003", "POST /webhooks/{id}/{id}", "800000000000000001/tok-500000000000000003"},
		{"POST", "/interactions/500000000000000003/tok-500000000000000003/callback", "POST /interactions/{id}/{id}/callback", "500000000000000003/tok-500000000000000003"},
		{"GET", "/users/@me", "GET /users/@me", ""},
	} {
		route, major := routeOf(c.method, c.path)
		if route != c.route || major != c.major {
			t.Errorf("%s %s = %q %q; want %q %q", c.method, c.path, route, major, c.route, c.major)
		}
	}
}

// TestRefusalOverHTTP: a request over a limit is answered as Discord
// answers it, and the one before carries the bucket's headers.
func TestRefusalOverHTTP(t *testing.T) {
	var posts []Post
	s, err := Start(Options{Limits: Limits{Messages: Window{1, time.Hour}}, OnPost: func(p Post) { posts = append(posts, p) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send := func() *http.Response {
		resp, err := http.Post(s.URL()+"/api/v9/channels/"+Triage+"/messages", "application/json", strings.NewReader(`{"content":"hello"}`))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := send()
	first.Body.Close()
	if first.StatusCode != 200 || first.Header.Get("X-RateLimit-Limit") != "1" || first.Header.Get("X-RateLimit-Remaining") != "0" || first.Header.Get("X-RateLimit-Bucket") == "" {
		t.Errorf("first post: %d %v", first.StatusCode, first.Header)
	}
	second := send()
	defer second.Body.Close()
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	_ = json.NewDecoder(second.Body).Decode(&body)
	if second.StatusCode != 429 || body.RetryAfter <= 0 || body.Global || second.Header.Get("Retry-After") == "" || second.Header.Get("X-RateLimit-Scope") != "user" {
		t.Errorf("second post: %d %+v %v", second.StatusCode, body, second.Header)
	}
	if len(posts) != 1 || posts[0].Text != "hello" || posts[0].Channel != Triage || !posts[0].Answers() {
		t.Errorf("posts heard = %+v, want the one admitted", posts)
	}
	if st := s.Stats(); st.Calls["POST /channels/{id}/messages"] != 2 || st.Limited["POST /channels/{id}/messages"] != 1 || st.Posts[Triage] != 1 || st.Global != 0 {
		t.Errorf("stats = %+v", st)
	}
}
