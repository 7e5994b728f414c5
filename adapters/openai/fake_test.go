package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// reply is what the fake server answers to one request.
type reply struct {
	status  int           // default 200
	content string        // the assistant message
	refusal string        // a refusal instead of content
	delay   time.Duration // before answering; the request's context cuts it short
}

// fakeServer is an OpenAI-compatible chat server on loopback.
type fakeServer struct {
	*httptest.Server
	answer   func(req goopenai.ChatCompletionRequest) reply
	mu       sync.Mutex
	requests []goopenai.ChatCompletionRequest
	auth     []string
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	// models are what GET /v1/models lists; modelsStatus, when set, is
	// its error status instead.
	models       []string
	modelsStatus int
}

func newFakeServer(t testing.TB, answer func(req goopenai.ChatCompletionRequest) reply) *fakeServer {
	t.Helper()
	f := &fakeServer{answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/v1/models" {
		f.serveModels(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxSeen.Load()
		if n <= m || f.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	var req goopenai.ChatCompletionRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	rep := f.answer(req)
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.status != 0 && rep.status != http.StatusOK {
		w.WriteHeader(rep.status)
		fmt.Fprintf(w, `{"error":{"message":"fake error %d","type":"server_error"}}`, rep.status)
		return
	}
	msg := map[string]any{"role": "assistant", "content": rep.content}
	if rep.refusal != "" {
		msg["refusal"] = rep.refusal
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}},
	})
}

// calls returns how many requests the server received.
func (f *fakeServer) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// last returns the last request received.
func (f *fakeServer) last() goopenai.ChatCompletionRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[len(f.requests)-1]
}

// newTestClient returns a Client for f with cfg's other settings.
func newTestClient(t *testing.T, f *fakeServer, cfg Config) *Client {
	t.Helper()
	cfg.BaseURL = f.URL + "/v1"
	if cfg.Model == "" {
		cfg.Model = "test-model"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serveModels lists f.models as OpenAI does, or fails with modelsStatus.
func (f *fakeServer) serveModels(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if f.modelsStatus != 0 {
		w.WriteHeader(f.modelsStatus)
		fmt.Fprintf(w, `{"error":{"message":"fake error %d","type":"invalid_request_error"}}`, f.modelsStatus)
		return
	}
	var data []any
	for _, m := range f.models {
		data = append(data, map[string]any{"id": m, "object": "model", "created": 0, "owned_by": "library"})
	}
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
}
