package chat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestCallHealth(t *testing.T) {
	refused := errors.New("refused")
	judge := func(err error) (error, bool) {
		switch {
		case errors.Is(err, refused):
			return fmt.Errorf("token refused: %w", err), true
		case strings.Contains(err.Error(), "channel_not_found"):
			return nil, true
		}
		return nil, false
	}
	var h CallHealth
	h.Set(errors.New("not checked yet"))
	for _, c := range []struct {
		name string
		err  error
		want string // "" healthy
	}{
		{"a cancelled call changes nothing", context.Canceled, "not checked yet"},
		{"a success", nil, ""},
		{"the platform refuses the token", fmt.Errorf("call: %w", refused), "token refused"},
		{"not the platform's answer", errors.New("bad reference"), "token refused"},
		{"the platform answered about the request", errors.New("channel_not_found"), ""},
		{"unreachable", &url.Error{Op: "Post", URL: "https://x/api", Err: errors.New("connection refused")}, "cannot reach X: Post"},
		{"a timeout changes nothing", fmt.Errorf("call: %w", context.DeadlineExceeded), "cannot reach X"},
	} {
		h.Note(c.err, "cannot reach X", judge)
		got := h.Err()
		if (c.want == "") != (got == nil) || (got != nil && !strings.Contains(got.Error(), c.want)) {
			t.Errorf("%s: health %v, want %q", c.name, got, c.want)
		}
	}
}
