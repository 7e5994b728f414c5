package extract

import "testing"

// AsksFor tells a request from a fault report by how it is phrased: an
// approval or a count of things wanted makes a request, a deadline or a
// polite "can you check" beside a fault does not.
func TestAsksFor(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"I need a second monitor", true},
		{"we need 3 headsets for the new support agents", true},
		{"need to install Python on my workstation", true},
		{"need to restore last week's version of the budget sheet", true},
		{"Tableau Desktop on my PC please, approved by Hannah", true},
		{"Admin rights for the build server, my manager Leo already approved it", true},
		{"monitor arm needed for desk 4.12.", true},
		{"pouvez-vous me donner accès au dossier Finance ?", true},
		{"The scanner says 'Cover open' but it is closed, slides needed by noon", false},
		{"mes impressions restent bloquées depuis ce matin, pouvez-vous regarder ?", false},
		{"my monitor is broken", false},
		{"Outlook keeps crashing since the update", false},
		// An ask quoted from a screen is not the person's; a forwarded ask
		// in the first person is.
		{`Teams admin center shows "You need a calling plan licence." when I assign the number`, false},
		{`the updater pops up "Please install the latest version to continue" every hour`, false},
		{`From Ola (not on Slack): "Can you give me access to the Budget folder?"`, true},
		// A meeting request is a thing in a calendar.
		{"the room mailbox accepts the meeting request twice", false},
	} {
		if got := AsksFor(tc.text); got != tc.want {
			t.Errorf("AsksFor(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
