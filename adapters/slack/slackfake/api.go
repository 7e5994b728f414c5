package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// form reads a Web API call's parameters, form-encoded or JSON.
func form(r *http.Request) url.Values {
	body, _ := io.ReadAll(r.Body)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		v, _ := url.ParseQuery(string(body))
		return v
	}
	v := url.Values{}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	for k, x := range m {
		if str, ok := x.(string); ok {
			v.Set(k, str)
		} else {
			b, _ := json.Marshal(x)
			v.Set(k, string(b))
		}
	}
	return v
}

// serveAPI answers a Web API call: after the latency, a scripted fault
// (Fail) first, then the rate limits, then the method itself.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	f := form(r)
	// The round trip: Slack answers after it, whatever it answers.
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	channel := f.Get("channel")
	if fl, ok := s.takeFault(method); ok {
		s.stats.call(method, fl.Status == http.StatusTooManyRequests)
		s.called(method, f, fl.status())
		fl.write(w)
		return
	}
	if ok, wait := s.lim.admit(method, channel, s.opts.Now()); !ok {
		s.stats.call(method, true)
		s.called(method, f, http.StatusTooManyRequests)
		w.Header().Set("Retry-After", fmt.Sprint(retryAfter(wait)))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	s.stats.call(method, false)
	s.called(method, f, http.StatusOK)
	answer := func(v map[string]any) {
		v["ok"] = true
		_ = json.NewEncoder(w).Encode(v)
	}
	refuse := func(code string) { fmt.Fprintf(w, `{"ok":false,"error":%q}`, code) }
	switch method {
	case "apps.connections.open":
		answer(map[string]any{"url": "ws://" + r.Host + "/ws"})
	case "auth.test":
		w.Header().Set("X-OAuth-Scopes", strings.Join(s.scopes(), ","))
		answer(map[string]any{"user_id": "UBOT", "user": "helpdesk", "bot_id": "BBOT", "team_id": "T1", "team": "Acme"})
	case "conversations.open":
		answer(map[string]any{"channel": map[string]any{"id": "D" + f.Get("users")}})
	case "conversations.history":
		if code := s.notReadable(channel); code != "" {
			refuse(code)
			return
		}
		answer(map[string]any{"messages": []any{}})
	case "users.info":
		answer(map[string]any{"user": s.user(f.Get("user"))})
	case "usergroups.users.list":
		answer(map[string]any{"users": s.opts.Groups[f.Get("usergroup")]})
	case "views.open":
		answer(map[string]any{"view": map[string]any{"id": "V" + s.newTS()}})
	case "chat.postMessage", "chat.postEphemeral":
		p := Post{Method: method, Channel: channel, ThreadTS: f.Get("thread_ts"), User: f.Get("user"),
			Text: f.Get("text"), Blocks: json.RawMessage(f.Get("blocks")), Ephemeral: method == "chat.postEphemeral", At: s.opts.Now()}
		if strings.HasPrefix(p.Channel, "U") {
			p.Channel = "D" + p.Channel
		}
		s.mu.Lock()
		p.TS = s.nextTS()
		if !p.Ephemeral {
			stored := p
			s.messages[p.Channel+":"+p.TS] = &stored
		}
		s.mu.Unlock()
		s.stats.post(p.Channel, p.At)
		s.posted(p)
		if p.Ephemeral {
			answer(map[string]any{"message_ts": p.TS})
			return
		}
		answer(map[string]any{"channel": p.Channel, "ts": p.TS})
	case "chat.update":
		s.mu.Lock()
		m, ok := s.messages[channel+":"+f.Get("ts")]
		var up Post
		if ok {
			m.Text, m.Blocks = f.Get("text"), json.RawMessage(f.Get("blocks"))
			m.Edits++
			up = *m
		}
		s.mu.Unlock()
		if !ok {
			refuse("message_not_found")
			return
		}
		up.Method, up.At = method, s.opts.Now()
		s.posted(up)
		answer(map[string]any{"channel": up.Channel, "ts": up.TS, "text": up.Text})
	default:
		refuse("unknown_method")
	}
}

// posted records p and tells OnPost.
func (s *Server) posted(p Post) {
	s.mu.Lock()
	if s.opts.Record {
		s.log.posts = append(s.log.posts, p)
	}
	s.changedLocked()
	s.mu.Unlock()
	if s.opts.OnPost != nil {
		s.opts.OnPost(p)
	}
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Text         string          `json:"text"`
		ResponseType string          `json:"response_type"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	_ = json.NewDecoder(r.Body).Decode(&m)
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	s.stats.call("response_url", false)
	s.posted(Post{Method: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/respond/"), Text: m.Text,
		Blocks: m.Blocks, Ephemeral: m.ResponseType == "ephemeral", At: s.opts.Now()})
	_, _ = io.WriteString(w, "ok")
}
