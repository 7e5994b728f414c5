package discordfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveREST answers one REST request after the round trip: refused over
// the limits, failed by a fault, or as Discord would (routes.go). Every
// request but the gateway lookup is counted, and logged with KeepCalls.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api")
	if rest, ok := strings.CutPrefix(path, "/v"); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			path = rest[i:] // "/api/v9/channels/1" → "/channels/1"
		}
	}
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if path == "/gateway" || path == "/gateway/bot" {
		writeJSON(w, 200, map[string]any{"url": "ws://" + r.Host + "/gateway", "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
		return
	}
	call := Call{Method: r.Method, Path: path, Body: body, At: at}
	defer func() { s.logCall(call) }()
	route, major := routeOf(r.Method, path)
	interaction := strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
	now := time.Now()
	v := s.lim.admit(route, major, interaction, now)
	v.headers(w.Header(), now)
	s.stats.call(route, v)
	if v.refused {
		call.Status, call.Resp = writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.",
			"retry_after": v.retry.Seconds(), "global": v.global})
		return
	}
	fl, failed := s.takeFault(r.Method, path)
	if failed && !fl.Lost {
		call.Status, call.Resp = fl.write(w)
		return
	}
	status, out, post := s.route(r.Method, path, body)
	if post != nil {
		post.Route, post.At = route, time.Now()
		if post.creates() {
			s.stats.post(post.Channel, post.At)
		}
		if s.opts.OnPost != nil {
			s.opts.OnPost(*post)
		}
	}
	switch {
	case failed: // it took effect, but the answer is lost
		call.Status, call.Resp = fl.write(w)
	case out == nil:
		w.WriteHeader(status)
		call.Status = status
	default:
		call.Status, call.Resp = writeJSON(w, status, out)
	}
}

// writeJSON answers status with v and returns what it wrote.
func writeJSON(w http.ResponseWriter, status int, v any) (int, json.RawMessage) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status, b
}

// routeOf is a request's route template and major parameter: the bucket
// Discord counts it in. A webhook's or interaction's token is part of its
// major parameter.
func routeOf(method, path string) (route, major string) {
	p := strings.Split(strings.Trim(path, "/"), "/")
	tokened := p[0] == "webhooks" || p[0] == "interactions"
	switch {
	case tokened && len(p) >= 3:
		major = p[1] + "/" + p[2]
	case (p[0] == "channels" || p[0] == "guilds") && len(p) >= 2:
		major = p[1]
	}
	for i := range p {
		if isSnowflake(p[i]) || (tokened && i == 2) {
			p[i] = "{id}"
		}
	}
	return method + " /" + strings.Join(p, "/"), major
}

func isSnowflake(s string) bool {
	if len(s) < 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
