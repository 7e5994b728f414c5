package chat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
)

// CallHealth is what an adapter's calls to its platform last said about
// the platform, for the adapter's Health: nil after a call went through,
// or after the platform answered about the request itself (a rate limit,
// a missing channel); an error while the platform refuses the bot's token,
// fails or cannot be reached. It is safe for concurrent use.
type CallHealth struct {
	mu  sync.Mutex
	err error
}

// Err is the problem the last calls showed, nil when none.
func (h *CallHealth) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// Set records err as the platform's state, as before any call.
func (h *CallHealth) Set(err error) {
	h.mu.Lock()
	h.err = err
	h.mu.Unlock()
}

// Note records a call's result. judge reads an error the platform answered
// with: the problem to report, or nil when nothing is wrong with the
// platform; answered false means the error is not the platform's answer.
// A call that never reached it is reported after unreachable ("slack:
// auth.test: cannot reach Slack"); a cancelled call, or an error that is
// not the platform's (a bad reference), changes nothing.
func (h *CallHealth) Note(err error, unreachable string, judge func(error) (problem error, answered bool)) {
	if err == nil {
		h.Set(nil)
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	if problem, answered := judge(err); answered {
		h.Set(problem)
		return
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		h.Set(fmt.Errorf("%s: %w", unreachable, ue))
	}
}
