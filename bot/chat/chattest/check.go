package chattest

import (
	"slices"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Want is what a test expects of one chat.Check: its status, and words its
// detail or fix must have.
type Want struct {
	Status chat.CheckStatus
	Words  []string
}

// W is a Want.
func W(status chat.CheckStatus, words ...string) Want { return Want{status, words} }

// ExpectChecks finds each wanted check in got by name and compares it; a
// check that did not pass must say what to do.
func ExpectChecks(t testing.TB, got []chat.Check, wants map[string]Want) {
	t.Helper()
	for name, w := range wants {
		i := slices.IndexFunc(got, func(c chat.Check) bool { return c.Name == name })
		if i < 0 {
			t.Errorf("no check %q in %+v", name, got)
			continue
		}
		c := got[i]
		if c.Status != w.Status {
			t.Errorf("%s: status %d, want %d (%s; %s)", name, c.Status, w.Status, c.Detail, c.Fix)
		}
		for _, word := range w.Words {
			if !strings.Contains(c.Detail+" "+c.Fix, word) {
				t.Errorf("%s: %q does not say %q", name, c.Detail+" → "+c.Fix, word)
			}
		}
		if c.Status != chat.CheckOK && c.Fix == "" {
			t.Errorf("%s failed without saying what to do", name)
		}
	}
}
