package storetest

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testMacros checks that macros are saved, listed by name, replaced by
// name and deleted, that deleting a missing one is ENOTFOUND, and that
// uses are counted per name, also for names with no stored macro (those
// of the config file).
func testMacros(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	got, err := s.Macros(ctx)
	ok(t, err, "Macros")
	if len(got) != 0 {
		t.Fatalf("a new store has macros: %v", got)
	}
	vpn := &tickets.Macro{Name: "vpn-reset", Text: "Hi {requester}, please restart the VPN client.\nThen try again.", Author: "slack:AG1", UpdatedAt: base}
	hello := &tickets.Macro{Name: "hello", Text: "Hello {requester} ✓", Author: "slack:AG2", UpdatedAt: at(time.Minute)}
	for _, m := range []*tickets.Macro{vpn, hello} {
		ok(t, s.SaveMacro(ctx, m), "SaveMacro")
	}
	got, err = s.Macros(ctx)
	ok(t, err, "Macros")
	diff(t, "macros", []*tickets.Macro{storedMacro(hello), storedMacro(vpn)}, got)

	changed := &tickets.Macro{Name: "vpn-reset", Text: "Restart GlobalProtect.", Author: "slack:AG2", UpdatedAt: at(time.Hour)}
	ok(t, s.SaveMacro(ctx, changed), "SaveMacro again")
	got, err = s.Macros(ctx)
	ok(t, err, "Macros")
	diff(t, "macros after a change", []*tickets.Macro{storedMacro(hello), storedMacro(changed)}, got)

	ok(t, s.DeleteMacro(ctx, "hello"), "DeleteMacro")
	wantCode(t, s.DeleteMacro(ctx, "hello"), tickets.ENOTFOUND, "DeleteMacro of a missing macro")
	wantCode(t, s.SaveMacro(ctx, &tickets.Macro{Name: "empty"}), tickets.EINVALID, "SaveMacro without a text")

	for i, name := range []string{"vpn-reset", "from-config", "vpn-reset"} {
		n, err := s.CountMacroUse(ctx, name)
		ok(t, err, "CountMacroUse")
		if want := map[int]int{0: 1, 1: 1, 2: 2}[i]; n != want {
			t.Errorf("use %d of %s counted %d, want %d", i, name, n, want)
		}
	}
	uses, err := s.MacroUses(ctx)
	ok(t, err, "MacroUses")
	diff(t, "uses", map[string]int{"vpn-reset": 2, "from-config": 1}, uses)
}

// storedMacro is m as the store gives it back: its time in UTC, to the
// microsecond.
func storedMacro(m *tickets.Macro) *tickets.Macro {
	c := *m
	c.UpdatedAt = stored(c.UpdatedAt)
	return &c
}
