package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is Slack on loopback for the adapter's tests: the Web API
// under /api/ (the methods the adapter calls), a Socket Mode websocket at
// /ws with Slack's ping loop, and response_urls under /respond/. The real
// slack-go client talks to it unchanged.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	// scopes are the bot token's scopes, listed in X-OAuth-Scopes (nil:
	// all the manifest asks for); members are the channels the bot is in,
	// by ID, and those it is not (false), for conversations.history.
	// Both are read under mu.
	scopes  []string
	members map[string]bool

	mu       sync.Mutex
	changed  *sync.Cond
	calls    []apiCall
	posts    []post                     // chat.postMessage, chat.postEphemeral, chat.update, response_url, in order
	messages map[string]*post           // "channel:ts" → current state of a posted message
	views    []map[string]any           // views.open payloads
	acks     map[string]json.RawMessage // envelope_id → ack payload ("null" when none)
	ackAt    map[string]time.Time       // envelope_id → when its ack arrived
	failures map[string][]failure       // method → scripted failures, first first
	users    map[string]fakeUser
	groups   map[string][]string
	ts       int64
	refuse   bool                       // apps.connections.open answers 500 while set
	onPost   func(p post, at time.Time) // called for each chat.postMessage, under mu
	opens    int                        // apps.connections.open calls answered ok

	connMu  sync.Mutex
	conn    *websocket.Conn
	connGen int        // Socket Mode connections accepted so far
	wmu     sync.Mutex // one writer at a time on conn
}

type apiCall struct {
	Method string
	Form   url.Values
	Auth   string
	At     time.Time
	Status int // HTTP status answered
}

// post is one message the bot sent, as Slack would store it.
type post struct {
	Method    string // chat.postMessage, chat.postEphemeral, chat.update, response_url
	Channel   string
	TS        string
	ThreadTS  string
	User      string // ephemeral recipient
	Text      string // the notification text
	Blocks    []block
	Raw       json.RawMessage // the blocks as posted, for interaction payloads
	Ephemeral bool
	Edits     int
}

// block is the part of a Block Kit block the tests read.
type block struct {
	Type    string `json:"type"`
	BlockID string `json:"block_id"`
	Text    *struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"text"`
	Elements []struct {
		Type     string `json:"type"`
		ActionID string `json:"action_id"`
		Value    string `json:"value"`
		Text     struct {
			Text string `json:"text"`
		} `json:"text"`
	} `json:"elements"`
}

// body is the text of a post's sections, joined.
func (p post) body() string {
	var parts []string
	for _, b := range p.Blocks {
		if b.Type == "section" && b.Text != nil {
			parts = append(parts, b.Text.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// button finds the post's button for action ("claim"), by action_id.
func (p post) button(action string) (actionID, value string, ok bool) {
	for _, b := range p.Blocks {
		for _, e := range b.Elements {
			if e.Type == "button" && actionName(e.ActionID) == action {
				return e.ActionID, e.Value, true
			}
		}
	}
	return "", "", false
}

type failure struct {
	status     int
	retryAfter string
	code       string // Slack error code for ok:false answers
}

type fakeUser struct{ name, email string }

func newFakeSlack(t testing.TB) *fakeSlack {
	t.Helper()
	f := &fakeSlack{t: t, messages: map[string]*post{}, acks: map[string]json.RawMessage{}, ackAt: map[string]time.Time{},
		failures: map[string][]failure{}, users: map[string]fakeUser{}, groups: map[string][]string{},
		ts: 1700000000}
	f.changed = sync.NewCond(&f.mu)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.serveAPI)
	mux.HandleFunc("/ws", f.serveWS)
	mux.HandleFunc("/respond/", f.serveResponse)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.dropConn()
		f.srv.Close()
	})
	return f
}

// APIURL is the Web API base for slack.OptionAPIURL.
func (f *fakeSlack) APIURL() string { return f.srv.URL + "/api/" }

// responseURL is a response_url on the fake.
func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/respond/" + id }

// fail scripts the next n calls of method to fail.
func (f *fakeSlack) fail(method string, n int, fl failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures[method] = append(f.failures[method], fl)
	}
}

func (f *fakeSlack) addUser(id, name, email string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = fakeUser{name: name, email: email}
}

func (f *fakeSlack) setGroup(id string, members ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups[id] = members
}

func (f *fakeSlack) setRefuse(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = v
}

func (f *fakeSlack) nextTS() string {
	f.ts++
	return fmt.Sprintf("%d.%06d", f.ts, f.ts%1000000)
}

func (f *fakeSlack) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(r.Body)
	form := url.Values{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		for k, v := range m {
			if s, ok := v.(string); ok {
				form.Set(k, s)
			} else {
				b, _ := json.Marshal(v)
				form.Set(k, string(b))
			}
		}
	} else {
		form, _ = url.ParseQuery(string(body))
	}
	w.Header().Set("Content-Type", "application/json")

	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.changed.Broadcast()
	f.calls = append(f.calls, apiCall{Method: method, Form: form, Auth: r.Header.Get("Authorization"), At: time.Now(), Status: http.StatusOK})
	if fl := f.failures[method]; len(fl) > 0 {
		f.calls[len(f.calls)-1].Status = fl[0].status
		f.failures[method] = fl[1:]
		if fl[0].retryAfter != "" {
			w.Header().Set("Retry-After", fl[0].retryAfter)
		}
		w.WriteHeader(fl[0].status)
		if fl[0].code != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, fl[0].code)
		}
		return
	}
	answer := func(v map[string]any) {
		v["ok"] = true
		_ = json.NewEncoder(w).Encode(v)
	}
	switch method {
	case "apps.connections.open":
		if f.refuse {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		f.opens++
		answer(map[string]any{"url": "ws://" + r.Host + "/ws"})
	case "auth.test":
		scopes := f.scopes
		if scopes == nil {
			scopes, _ = Scopes()
		}
		w.Header().Set("X-OAuth-Scopes", strings.Join(scopes, ","))
		answer(map[string]any{"user_id": "UBOT", "user": "helpdesk", "bot_id": "BBOT", "team_id": "T1", "team": "Acme"})
	case "conversations.history":
		member, known := f.members[form.Get("channel")]
		switch {
		case !known:
			fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
		case !member:
			fmt.Fprint(w, `{"ok":false,"error":"not_in_channel"}`)
		default:
			answer(map[string]any{"messages": []any{}})
		}
	case "conversations.open":
		answer(map[string]any{"channel": map[string]any{"id": "D" + form.Get("users")}})
	case "users.info":
		u, ok := f.users[form.Get("user")]
		if !ok {
			fmt.Fprint(w, `{"ok":false,"error":"user_not_found"}`)
			return
		}
		answer(map[string]any{"user": map[string]any{"id": form.Get("user"), "name": strings.ToLower(u.name), "real_name": u.name,
			"profile": map[string]any{"display_name": u.name, "real_name": u.name, "email": u.email}}})
	case "usergroups.users.list":
		answer(map[string]any{"users": f.groups[form.Get("usergroup")]})
	case "views.open":
		var v map[string]any
		_ = json.Unmarshal([]byte(form.Get("view")), &v)
		f.views = append(f.views, v)
		answer(map[string]any{"view": map[string]any{"id": fmt.Sprintf("V%d", len(f.views))}})
	case "chat.postMessage", "chat.postEphemeral":
		p := &post{Method: method, Channel: form.Get("channel"), ThreadTS: form.Get("thread_ts"), User: form.Get("user"),
			Text: form.Get("text"), Ephemeral: method == "chat.postEphemeral"}
		_ = json.Unmarshal([]byte(form.Get("blocks")), &p.Blocks)
		p.Raw = json.RawMessage(form.Get("blocks"))
		if strings.HasPrefix(p.Channel, "U") {
			p.Channel = "D" + p.Channel
		}
		if p.Ephemeral {
			f.posts = append(f.posts, *p)
			answer(map[string]any{"message_ts": f.nextTS()})
			return
		}
		p.TS = f.nextTS()
		f.posts = append(f.posts, *p)
		if f.onPost != nil {
			f.onPost(*p, time.Now())
		}
		f.messages[p.Channel+":"+p.TS] = p
		answer(map[string]any{"channel": p.Channel, "ts": p.TS})
	case "chat.update":
		key := form.Get("channel") + ":" + form.Get("ts")
		m, ok := f.messages[key]
		if !ok {
			fmt.Fprint(w, `{"ok":false,"error":"message_not_found"}`)
			return
		}
		m.Text, m.Blocks, m.Raw = form.Get("text"), nil, json.RawMessage(form.Get("blocks"))
		_ = json.Unmarshal([]byte(form.Get("blocks")), &m.Blocks)
		m.Edits++
		up := *m
		up.Method = method
		f.posts = append(f.posts, up)
		answer(map[string]any{"channel": m.Channel, "ts": m.TS, "text": m.Text})
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func (f *fakeSlack) serveResponse(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Text         string  `json:"text"`
		ResponseType string  `json:"response_type"`
		Blocks       []block `json:"blocks"`
	}
	_ = json.NewDecoder(r.Body).Decode(&m)
	f.mu.Lock()
	f.posts = append(f.posts, post{Method: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/respond/"),
		Text: m.Text, Blocks: m.Blocks, Ephemeral: m.ResponseType == "ephemeral"})
	f.changed.Broadcast()
	f.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

// serveWS is the Socket Mode websocket: hello, pings every 100 ms (the
// client reconnects without them), and a reader collecting acks.
func (f *fakeSlack) serveWS(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.connMu.Lock()
	f.conn = c
	f.connGen++
	f.connMu.Unlock()
	_ = f.write(c, map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]string{"app_id": "A1"}})
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)) != nil {
					return
				}
			}
		}
	}()
	go func() {
		defer close(done)
		for {
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				f.connMu.Lock()
				if f.conn == c {
					f.conn = nil
				}
				f.connMu.Unlock()
				return
			}
			f.mu.Lock()
			if ack.Payload == nil {
				ack.Payload = json.RawMessage("null")
			}
			f.acks[ack.EnvelopeID] = ack.Payload
			f.ackAt[ack.EnvelopeID] = time.Now()
			f.changed.Broadcast()
			f.mu.Unlock()
		}
	}()
}

func (f *fakeSlack) write(c *websocket.Conn, v any) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return c.WriteJSON(v)
}

// dropConn closes the Socket Mode connection, as a network failure would.
func (f *fakeSlack) dropConn() {
	f.connMu.Lock()
	c := f.conn
	f.conn = nil
	f.connMu.Unlock()
	if c != nil {
		_ = c.Close()
	}
}

// generation is the number of Socket Mode connections so far.
func (f *fakeSlack) generation() int {
	f.connMu.Lock()
	defer f.connMu.Unlock()
	return f.connGen
}

// connectedAfter waits for a Socket Mode connection newer than gen.
func (f *fakeSlack) connectedAfter(gen int) {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f.generation() <= gen {
		if time.Now().After(deadline) {
			f.t.Fatal("socket mode client never connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// connected waits for a Socket Mode connection.
func (f *fakeSlack) connected() *websocket.Conn {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		f.connMu.Lock()
		c := f.conn
		f.connMu.Unlock()
		if c != nil {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.t.Fatal("socket mode client never connected")
	return nil
}

// envelope sends a Socket Mode envelope.
func (f *fakeSlack) envelope(id, typ string, payload any) {
	f.t.Helper()
	if err := f.write(f.connected(), map[string]any{"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api"}); err != nil {
		f.t.Fatalf("send envelope %s: %v", id, err)
	}
}

// waitFor waits until cond, checked under the fake's lock, holds.
func (f *fakeSlack) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	stop := time.AfterFunc(10*time.Second, func() {
		f.mu.Lock()
		f.changed.Broadcast()
		f.mu.Unlock()
	})
	defer stop.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for !cond() {
		if time.Now().After(deadline) {
			var got []string
			for _, p := range f.posts {
				got = append(got, fmt.Sprintf("%s %s thread=%s user=%s: %q", p.Method, p.Channel, p.ThreadTS, p.User, p.body()))
			}
			f.t.Fatalf("timed out waiting for %s; posts so far:\n%s", what, strings.Join(got, "\n"))
		}
		f.changed.Wait()
	}
}

// ack waits for the client's ack of envelope id and returns its payload.
func (f *fakeSlack) ack(id string) json.RawMessage {
	f.t.Helper()
	var p json.RawMessage
	f.waitFor("ack of "+id, func() bool {
		var ok bool
		p, ok = f.acks[id]
		return ok
	})
	return p
}

// postCount is how many posts there are so far.
func (f *fakeSlack) postCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

// waitPost waits for a post after the first from posts matching match.
func (f *fakeSlack) waitPost(what string, from int, match func(p post) bool) post {
	f.t.Helper()
	var got post
	f.waitFor(what, func() bool {
		for _, p := range f.posts[min(from, len(f.posts)):] {
			if match(p) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// postsSince returns a copy of the posts after the first from.
func (f *fakeSlack) postsSince(from int) []post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]post(nil), f.posts[min(from, len(f.posts)):]...)
}

// message is the current state of a posted message.
func (f *fakeSlack) message(channel, ts string) post {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[channel+":"+ts]
	if !ok {
		f.t.Fatalf("no message %s:%s", channel, ts)
	}
	return *m
}

// callCount counts the Web API calls of method so far.
func (f *fakeSlack) callCount(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

// callCountIn counts the Web API calls of method to channel so far.
func (f *fakeSlack) callCountIn(method, channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Method == method && c.Form.Get("channel") == channel {
			n++
		}
	}
	return n
}

// lastView is the last modal opened.
func (f *fakeSlack) lastView() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.views) == 0 {
		f.t.Fatal("no modal opened")
	}
	return f.views[len(f.views)-1]
}
