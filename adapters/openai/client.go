// Package openai is the help desk's client for OpenAI-compatible chat
// servers (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp): it re-ranks KB
// offers, proposes intake fields and drafts articles and summaries for the
// bot core, which works without it. Every call is cached, bounded in
// concurrency and time, and every unusable answer is counted in Stats and
// reported as an error so the caller keeps its offline result.
package openai

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/helpdesk-bot/helpdesk/prompts"
)

// Config configures a Client.
type Config struct {
	BaseURL string // e.g. https://api.openai.com/v1 or http://localhost:11434/v1
	Model   string
	// APIKey is sent as a bearer token; empty sends none (Ollama and most
	// local servers need none). Read it from the environment, never a file.
	APIKey string
	// Timeout bounds one call to the server (default 20s); callers that
	// have a person waiting pass a shorter context.
	Timeout time.Duration
	// MaxConcurrency bounds the calls in flight (default 4); a call waits
	// for a slot as long as its context allows.
	MaxConcurrency int
	// CacheSize is how many answers are kept for identical requests
	// (default 512; negative disables the cache).
	CacheSize  int
	HTTPClient *http.Client // default: http.Client with no extra timeout
	Logger     *slog.Logger // unusable answers are logged at debug
}

// Stats counts calls and why answers were not used. All fields are safe
// for concurrent use.
type Stats struct {
	Calls      atomic.Int64 // requests sent to the server
	CacheHits  atomic.Int64 // answers served from the cache
	Fallbacks  atomic.Int64 // calls whose answer was not used, any reason
	Timeouts   atomic.Int64 // deadline reached (budget or Timeout) or cancelled
	HTTPErrors atomic.Int64 // the server answered with an error status or could not be reached
	Refusals   atomic.Int64 // the model refused or answered nothing
	Invalid    atomic.Int64 // an answer that broke its shape: bad JSON, unknown or repeated IDs, no draft marker…
}

// Client calls an OpenAI-compatible chat completions endpoint. It is safe
// for concurrent use.
type Client struct {
	api     *goopenai.Client
	baseURL string
	model   string
	timeout time.Duration
	sem     chan struct{}
	cache   *lru
	prompts *prompts.Messages
	log     *slog.Logger
	stats   *Stats
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" || cfg.Model == "" {
		return nil, errors.New("openai: a base URL and a model are needed")
	}
	p, err := prompts.LoadLLM()
	if err != nil {
		return nil, fmt.Errorf("openai: %w", err)
	}
	oc := goopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = cappedTransport{base: base, max: maxResponseBytes}
	oc.HTTPClient = hc
	c := &Client{api: goopenai.NewClientWithConfig(oc), model: cfg.Model, timeout: cfg.Timeout,
		prompts: p, log: cfg.Logger, stats: &Stats{}}
	c.baseURL = oc.BaseURL // for Check
	if c.timeout <= 0 {
		c.timeout = 20 * time.Second
	}
	n := cfg.MaxConcurrency
	if n <= 0 {
		n = 4
	}
	c.sem = make(chan struct{}, n)
	size := cfg.CacheSize
	if size == 0 {
		size = 512
	}
	c.cache = newLRU(max(size, 0))
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// Stats returns the client's counters.
func (c *Client) Stats() *Stats { return c.stats }

// errRefused is an answer that is a refusal or empty.
var errRefused = errors.New("model refused or answered nothing")

// errInvalid wraps an answer that does not have the required shape.
var errInvalid = errors.New("answer not usable")

// call is one chat completion: the instructions in the system message, the
// person's text only in the user message.
type call struct {
	task   string // "rerank", "extract", "draft", "summary": names the templates
	data   any    // for the task's templates
	json   bool   // ask for a JSON object
	tokens int    // completion token limit
}

// complete runs c, from the cache when an identical call succeeded before,
// and passes the answer to use. An answer use rejects is not cached. Every
// failure is counted, logged at debug and returned.
func (c *Client) complete(ctx context.Context, cl call, use func(answer string) error) (err error) {
	defer func() {
		if err != nil {
			c.stats.Fallbacks.Add(1)
			c.log.DebugContext(ctx, "llm answer not used", "task", cl.task, "err", err)
		}
	}()
	system, err := c.prompts.Render(cl.task+"_system", cl.data)
	if err != nil {
		return fmt.Errorf("openai: %w", err)
	}
	user, err := c.prompts.Render(cl.task+"_user", cl.data)
	if err != nil {
		return fmt.Errorf("openai: %w", err)
	}
	key := fmt.Sprintf("%x", sha256.Sum256([]byte(c.model+"\x00"+cl.task+"\x00"+system+"\x00"+user)))
	if answer, ok := c.cache.get(key); ok {
		c.stats.CacheHits.Add(1)
		return use(answer)
	}
	answer, err := c.send(ctx, cl, system, user)
	if err != nil {
		return err
	}
	if err := use(answer); err != nil {
		c.stats.Invalid.Add(1)
		return err
	}
	c.cache.put(key, answer)
	return nil
}

// send makes the request once a concurrency slot is free.
func (c *Client) send(ctx context.Context, cl call, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		c.stats.Timeouts.Add(1)
		return "", fmt.Errorf("openai: %s: waiting for a slot: %w", cl.task, ctx.Err())
	}
	req := goopenai.ChatCompletionRequest{
		Model: c.model,
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: system},
			{Role: goopenai.ChatMessageRoleUser, Content: user},
		},
		Temperature: 0,
		// max_completion_tokens, which replaced max_tokens in the OpenAI
		// API; a server that does not know it (older Ollama) ignores it,
		// and the call is still bounded by its timeout and budget.
		MaxCompletionTokens: cl.tokens,
	}
	if cl.json {
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	c.stats.Calls.Add(1)
	resp, err := c.api.CreateChatCompletion(ctx, req)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			c.stats.Timeouts.Add(1)
		case errors.Is(err, errTooLarge):
			c.stats.Invalid.Add(1)
		default:
			c.stats.HTTPErrors.Add(1)
		}
		return "", fmt.Errorf("openai: %s: %w", cl.task, err)
	}
	if len(resp.Choices) == 0 || resp.Choices[0].Message.Refusal != "" || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
		c.stats.Refusals.Add(1)
		return "", fmt.Errorf("openai: %s: %w", cl.task, errRefused)
	}
	if n := len(resp.Choices[0].Message.Content); n > maxAnswerBytes {
		c.stats.Invalid.Add(1)
		return "", fmt.Errorf("openai: %s: %w: %d bytes, over %d", cl.task, errInvalid, n, maxAnswerBytes)
	}
	return resp.Choices[0].Message.Content, nil
}

// Bounds on what a server may send back, applied before anything else
// reads the answer: an 8 MB answer from a broken or hostile server is cut
// off after maxResponseBytes of HTTP body (or at once, when its
// Content-Length says so), and an answer longer than maxAnswerBytes is
// not used. No task asks for more than 1,200 tokens, a few KiB of text.
const (
	maxResponseBytes = 256 << 10
	maxAnswerBytes   = 16 << 10
)

// errTooLarge is a response body over maxResponseBytes.
var errTooLarge = errors.New("response too large")

// cappedTransport ends every response body after max bytes with
// errTooLarge.
type cappedTransport struct {
	base http.RoundTripper
	max  int64
}

func (t cappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.max {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %d bytes, over %d", errTooLarge, resp.ContentLength, t.max)
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: t.max, max: t.max}
	return resp, nil
}

// cappedBody reads at most max bytes, then fails.
type cappedBody struct {
	io.ReadCloser
	left, max int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more tells a body of exactly max from a longer one
	}
	n, err := b.ReadCloser.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return 0, fmt.Errorf("%w: over %d bytes", errTooLarge, b.max)
	}
	return n, err
}
