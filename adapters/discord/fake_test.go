package discord

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

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// fakeDiscord is Discord on loopback for the real discordgo session: the
// REST routes the adapter calls, and a gateway websocket that says Hello,
// takes Identify or Resume, answers heartbeats and sends dispatches.
type fakeDiscord struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []restCall
	nextID   int
	channels map[string]fakeChannel // known channels by ID
	byNonce  map[string]json.RawMessage
	created  map[string]int // messages created per channel
	faults   []*fault
	gw       *gwConn
	identify []json.RawMessage
	resumes  int
	gwReady  chan *gwConn
	refuseGW bool // the gateway refuses connections (an outage)
	// appFlags are the application's flags (the Message Content intent);
	// everyone is what @everyone may do in fakeGuild, the bot's only role.
	appFlags int
	everyone int64
	// onCreate, when set, hears of each message created, with f.mu held.
	onCreate func(channel string)
	// callbackDelay holds interaction callbacks (to show what a slow
	// answer would cost); zero answers at once.
	callbackDelay time.Duration
}

type fakeChannel struct {
	ID         string                           `json:"id"`
	Type       int                              `json:"type"`
	GuildID    string                           `json:"guild_id,omitempty"`
	ParentID   string                           `json:"parent_id,omitempty"`
	OwnerID    string                           `json:"owner_id,omitempty"`
	Overwrites []*discordgo.PermissionOverwrite `json:"permission_overwrites,omitempty"`
}

// restCall is one REST request the fake received.
type restCall struct {
	Method, Path string
	Body         json.RawMessage
	// Resp is the fake's answer: a posted message with its ID.
	Resp json.RawMessage
	At   time.Time
}

// fault makes the next n requests matching method and path (a suffix or
// exact path after /api/v9) fail with status and body. create lets the
// request take effect first, as when Discord's answer is lost on the way.
type fault struct {
	method, path string
	n            int
	status       int
	body         string
	header       http.Header
	create       bool
}

const (
	fakeBotID   = "900"
	fakeAppID   = "800"
	fakeGuild   = "100"
	helpChannel = "200"
	triageChan  = "300"
	otherChan   = "400"
)

func newFakeDiscord(t testing.TB) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{t: t, nextID: 10000, channels: map[string]fakeChannel{}, byNonce: map[string]json.RawMessage{}, created: map[string]int{}, gwReady: make(chan *gwConn, 4),
		appFlags: flagMessageContentLimited, everyone: Permissions}
	for _, id := range []string{helpChannel, triageChan, otherChan} {
		f.channels[id] = fakeChannel{ID: id, Type: 0, GuildID: fakeGuild}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway/", f.serveGateway)
	mux.HandleFunc("/api/v9/", f.serveREST)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// transport sends discordgo's https://discord.com requests to the fake.
func (f *fakeDiscord) transport() http.RoundTripper {
	u, _ := url.Parse(f.srv.URL)
	return rewrite{u}
}

type rewrite struct{ target *url.URL }

func (rt rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rt.target.Scheme, rt.target.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

func (f *fakeDiscord) id() string {
	f.nextID++
	return fmt.Sprint(f.nextID)
}

// addFault queues a failure for matching requests.
func (f *fakeDiscord) addFault(fl *fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fl)
}

func (f *fakeDiscord) takeFault(method, path string) *fault {
	for _, fl := range f.faults {
		if fl.n > 0 && fl.method == method && strings.HasSuffix(path, fl.path) {
			fl.n--
			return fl
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeDiscord) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	if path == "/gateway" || path == "/gateway/bot" {
		writeJSON(w, 200, map[string]any{"url": "ws://" + r.Host + "/gateway", "shards": 1})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, restCall{Method: r.Method, Path: path, Body: body, At: time.Now()})
	fl := f.takeFault(r.Method, path)
	if fl != nil && !fl.create {
		for k, v := range fl.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fl.status)
		_, _ = io.WriteString(w, fl.body)
		return
	}
	status, out := f.route(r.Method, path, body)
	if fl != nil { // took effect, but the answer is lost
		status, out = fl.status, json.RawMessage(fl.body)
	}
	if out == nil {
		w.WriteHeader(status)
		return
	}
	f.calls[len(f.calls)-1].Resp, _ = json.Marshal(out)
	writeJSON(w, status, out)
}

// route is Discord's behaviour for the calls the adapter makes; f.mu is
// held.
func (f *fakeDiscord) route(method, path string, body []byte) (int, any) {
	p := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == "POST" && len(p) == 3 && p[0] == "channels" && p[2] == "messages":
		if _, ok := f.channels[p[1]]; !ok {
			return 404, map[string]any{"message": "Unknown Channel", "code": 10003}
		}
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		nonce, _ := in["nonce"].(string)
		if nonce != "" && in["enforce_nonce"] == true {
			if m, ok := f.byNonce[p[1]+"|"+nonce]; ok {
				return 200, m
			}
		}
		f.created[p[1]]++
		if f.onCreate != nil {
			f.onCreate(p[1])
		}
		in["id"], in["channel_id"] = f.id(), p[1]
		in["author"] = map[string]any{"id": fakeBotID, "username": "helpbot", "bot": true}
		in["timestamp"] = time.Now().UTC().Format(time.RFC3339)
		out, _ := json.Marshal(in)
		if nonce != "" {
			f.byNonce[p[1]+"|"+nonce] = out
		}
		return 200, json.RawMessage(out)
	case method == "PATCH" && len(p) == 4 && p[0] == "channels" && p[2] == "messages":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		in["id"], in["channel_id"] = p[3], p[1]
		return 200, in
	case method == "POST" && len(p) == 5 && p[0] == "channels" && p[4] == "threads":
		if _, ok := f.channels[p[3]]; ok {
			return 400, map[string]any{"message": "A thread has already been created for this message", "code": 160004}
		}
		ch := fakeChannel{ID: p[3], Type: 11, GuildID: fakeGuild, ParentID: p[1], OwnerID: fakeBotID}
		f.channels[ch.ID] = ch
		return 201, ch
	case method == "GET" && len(p) == 2 && p[0] == "channels":
		if ch, ok := f.channels[p[1]]; ok {
			return 200, ch
		}
		return 404, map[string]any{"message": "Unknown Channel", "code": 10003}
	case method == "POST" && path == "/users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &in)
		ch := fakeChannel{ID: dmChannelOf(in.RecipientID), Type: 1}
		f.channels[ch.ID] = ch
		return 200, ch
	case method == "POST" && len(p) == 4 && p[0] == "interactions" && p[3] == "callback":
		if d := f.callbackDelay; d > 0 {
			f.mu.Unlock()
			time.Sleep(d)
			f.mu.Lock()
		}
		return 204, nil
	case method == "POST" && len(p) == 3 && p[0] == "webhooks":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		in["id"] = f.id()
		return 200, in
	case method == "DELETE" && len(p) == 5 && p[0] == "webhooks":
		return 204, nil
	case method == "PUT" && p[0] == "applications":
		return 200, json.RawMessage(body)
	case method == "GET" && path == "/users/@me":
		return 200, map[string]any{"id": fakeBotID, "username": "helpbot", "bot": true}
	case method == "GET" && path == "/oauth2/applications/@me":
		return 200, map[string]any{"id": fakeAppID, "name": "Help Desk", "flags": f.appFlags}
	case method == "GET" && len(p) == 2 && p[0] == "guilds" && p[1] == fakeGuild:
		return 200, map[string]any{"id": fakeGuild, "owner_id": "1", "roles": []map[string]any{{"id": fakeGuild, "name": "@everyone", "permissions": fmt.Sprint(f.everyone)}}}
	case method == "GET" && len(p) == 4 && p[0] == "guilds" && p[1] == fakeGuild && p[2] == "members":
		return 200, map[string]any{"user": map[string]any{"id": p[3]}, "roles": []string{}}
	}
	return 404, map[string]any{"message": "Unknown route " + method + " " + path, "code": 0}
}

// dmChannelOf is the fake's DM channel ID with a user.
func dmChannelOf(user string) string { return "7" + user }

// addDM makes the DM channel with user known (it exists once they wrote).
func (f *fakeDiscord) addDM(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := dmChannelOf(user)
	f.channels[id] = fakeChannel{ID: id, Type: 1}
	return id
}

// createdIn is how many messages were created in channel.
func (f *fakeDiscord) createdIn(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.created[channel]
}

// mark is the number of REST calls so far: later waits look after it.
func (f *fakeDiscord) mark() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// callsSince returns the REST calls after mark.
func (f *fakeDiscord) callsSince(mark int) []restCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]restCall(nil), f.calls[mark:]...)
}

// waitCall waits for a call after mark matching method, path suffix and,
// when non-empty, a body substring, and returns it with its index.
func (f *fakeDiscord) waitCall(mark int, method, path, has string) (restCall, int) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		for i := mark; i < len(f.calls); i++ {
			c := f.calls[i]
			if c.Method == method && pathMatch(c.Path, path) && strings.Contains(string(c.Body), has) {
				f.mu.Unlock()
				return c, i + 1
			}
		}
		f.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	var seen []string
	for _, c := range f.callsSince(mark) {
		seen = append(seen, c.Method+" "+c.Path+" "+truncate(string(c.Body), 300))
	}
	f.t.Fatalf("no %s %s with %q; calls since mark:\n%s", method, path, has, strings.Join(seen, "\n"))
	return restCall{}, 0
}

// count counts calls after mark matching method, path suffix and body.
func (f *fakeDiscord) count(mark int, method, path, has string) int {
	n := 0
	for _, c := range f.callsSince(mark) {
		if c.Method == method && pathMatch(c.Path, path) && strings.Contains(string(c.Body), has) {
			n++
		}
	}
	return n
}

// pathMatch matches a path by suffix, or by prefix for patterns ending in
// "/" ("/webhooks/800/").
func pathMatch(p, pattern string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(p, pattern)
	}
	return strings.HasSuffix(p, pattern)
}

// gwConn is one gateway connection.
type gwConn struct {
	c   *websocket.Conn
	mu  sync.Mutex
	seq int
}

func (g *gwConn) send(v any) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.c.WriteJSON(v)
}

// dispatch sends an op 0 event.
func (g *gwConn) dispatch(t string, d any) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	return g.c.WriteJSON(map[string]any{"op": 0, "t": t, "s": g.seq, "d": d})
}

func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	refuse := f.refuseGW
	f.mu.Unlock()
	if refuse {
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g := &gwConn{c: c}
	_ = g.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}})
	var hello struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if err := c.ReadJSON(&hello); err != nil {
		c.Close()
		return
	}
	switch hello.Op {
	case 2:
		f.mu.Lock()
		f.identify = append(f.identify, hello.D)
		f.mu.Unlock()
		_ = g.dispatch("READY", map[string]any{
			"v": 9, "session_id": "sess-1", "resume_gateway_url": "ws://" + r.Host + "/gateway",
			"user":        map[string]any{"id": fakeBotID, "username": "helpbot", "bot": true},
			"application": map[string]any{"id": fakeAppID},
			"guilds":      []any{},
		})
	case 6:
		f.mu.Lock()
		f.resumes++
		f.mu.Unlock()
		_ = g.dispatch("RESUMED", map[string]any{})
	default:
		c.Close()
		return
	}
	f.mu.Lock()
	f.gw = g
	f.mu.Unlock()
	f.gwReady <- g
	go func() {
		defer c.Close()
		for {
			var m struct {
				Op int `json:"op"`
			}
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			if m.Op == 1 {
				_ = g.send(map[string]any{"op": 11})
			}
		}
	}()
}

// conn waits for the next gateway connection to be ready.
func (f *fakeDiscord) conn() *gwConn {
	f.t.Helper()
	select {
	case g := <-f.gwReady:
		return g
	case <-time.After(10 * time.Second):
		f.t.Fatal("no gateway connection")
		return nil
	}
}
