package bot

import (
	"strings"
	"testing"
)

// TestUnknownCommandSuggests: a mistyped or shortened command gets the one
// command it was probably meant to be, with its usage, and never a command
// the person may not run.
func TestUnknownCommandSuggests(t *testing.T) {
	d := newDesk(t)
	for _, tc := range []struct {
		user, text string
		want       string // the suggestion's sentence; "" for none
	}{
		{"dana", "/pend 1 question", "Did you mean /pending? Usage: /pending N question"},
		{"dana", "/cliam 1", "Did you mean /claim? Usage: /claim N"},
		{"dana", "/resovle 1 fixed", "Did you mean /resolve?"},
		{"alice", "/staus", "Did you mean /status? Usage: /status [N]"},
		{"alice", "/stat", "Did you mean /status?"},
		{"alice", "/trans 1", "Did you mean /transcript?"},
		{"sam", "/majot 1", "Did you mean /major?"},
		{"sam", "/updat 1 x", "Did you mean /update?"},
		{"ada", "/kbpub x", "Did you mean /kbpublish?"},
		// Agents' and admins' commands are not offered to those who may
		// not run them.
		{"alice", "/pend 1 question", ""},
		{"alice", "/cliam 1", ""},
		{"dana", "/majot 1", ""},
		{"dana", "/updat 1 x", ""},
		{"dana", "/kbpub x", ""},
		// Two commands fit: neither is guessed.
		{"dana", "/stat", ""},
		// Too short to be a typo of anything, or far from everything.
		{"alice", "/x", ""},
		{"alice", "/frobnicate", ""},
	} {
		out := d.run(tc.user, tc.text)
		name := strings.Fields(tc.text)[0]
		if !strings.Contains(out, "I don't know the command "+name+".") {
			t.Errorf("%s %q: %q, want it called unknown", tc.user, tc.text, out)
			continue
		}
		switch {
		case tc.want == "" && (strings.Contains(out, "Did you mean") || !strings.Contains(out, "Type /help")):
			t.Errorf("%s %q: %q, want no suggestion and /help", tc.user, tc.text, out)
		case tc.want != "" && !strings.Contains(out, tc.want):
			t.Errorf("%s %q: %q, want %q", tc.user, tc.text, out, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		s, t string
		want int
	}{
		{"claim", "claim", 0}, {"cliam", "claim", 1}, {"clam", "claim", 1},
		{"pendng", "pending", 1}, {"majr", "major", 1}, {"", "kb", 2}, {"x", "kb", 2},
	} {
		if got := editDistance(tc.s, tc.t); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.s, tc.t, got, tc.want)
		}
	}
}
