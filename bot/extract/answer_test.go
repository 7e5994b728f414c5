package extract

import "testing"

func TestIsThanks(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"thanks!", true},
		{"Thank you so much", true},
		{"ok thanks, works now", true},
		{"all good now, cheers", true},
		{"thx 👍", true},
		{"perfect, that did the trick", true},
		{"it works now", true},
		{"Danke!", true},
		{"muchas gracias", true},
		{"merci beaucoup", true},
		{"thanks, but it still crashes", false},
		{"thanks, my printer is jammed now", false},
		{"not fixed", false},
		{"ok", false},
		{"yes", false},
		{"", false},
	} {
		if got := IsThanks(tc.text); got != tc.want {
			t.Errorf("IsThanks(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
