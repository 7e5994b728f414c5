package bot

import "testing"

// The catalog form a request gets: by keyword, else by what it names; an
// ask to get something back fits no form, though it names an app.
func TestMatchRequest(t *testing.T) {
	b, _ := newTestBot(t)
	for _, tc := range []struct{ text, want string }{
		{"I need a second monitor please", "hardware"},
		{"can you install Zoom on my laptop", "software"},
		{"new starter on monday, Jane Doe, needs a laptop and email account", "new_account"},
		{"excel file got corrupted, can I get yesterday's version back?", ""},
		{"please restore the Q3 folder on the finance share", ""},
	} {
		rt, _, ok := b.matchRequest(tc.text)
		if !ok || rt.Name != tc.want {
			t.Errorf("matchRequest(%q) = %q, %v; want %q", tc.text, rt.Name, ok, tc.want)
		}
	}
}
