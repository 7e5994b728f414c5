package extract

import "testing"

func TestParseOfferAnswer(t *testing.T) {
	fixed := func(n int) OfferAnswer { return OfferAnswer{Fixed: true, Article: n} }
	notFixed := OfferAnswer{NotFixed: true}
	for _, tt := range []struct {
		text string
		want OfferAnswer
	}{
		// Short answers and the buttons' words.
		{"yes", fixed(0)}, {"Yes!", fixed(0)}, {"y", fixed(0)}, {"2", fixed(2)}, {"yes 2", fixed(2)}, {"#3", fixed(3)},
		{"no", notFixed}, {"n", notFixed}, {"nope", notFixed}, {"This fixed it", fixed(0)}, {"Still broken", notFixed},
		// Free-form English.
		{"still locked", notFixed},
		{"I'm still locked out", notFixed},
		{"didn't help", notFixed},
		{"that didn't work, same error", notFixed},
		{"none of them", notFixed},
		{"nothing changed", notFixed},
		{"it doesn't work", notFixed},
		{"that worked", fixed(0)},
		{"that worked, thanks!", fixed(0)},
		{"the second one did it", fixed(2)},
		{"the first one fixed it", fixed(1)},
		{"number 3 worked", fixed(3)},
		{"the first didn't help but the second did", fixed(2)},
		{"it worked for a minute but it's still locked", notFixed},
		{"no more errors, thanks", fixed(0)},
		{"all good now", fixed(0)},
		// German.
		{"ja, hat geholfen", fixed(0)},
		{"hat nicht geholfen", notFixed},
		{"geht immer noch nicht", notFixed},
		{"nein", notFixed},
		{"der zweite hat geholfen", fixed(2)},
		{"funktioniert wieder", fixed(0)},
		// Spanish.
		{"sí, ya funciona", fixed(0)},
		{"no funcionó", notFixed},
		{"sigue bloqueado", notFixed},
		{"el segundo funcionó", fixed(2)},
		// French.
		{"oui, ça marche", fixed(0)},
		{"ça ne marche toujours pas", notFixed},
		{"non", notFixed},
		{"le premier a résolu le problème", fixed(1)},
		// More detail, not an answer.
		{"the VPN client shows error 809", OfferAnswer{}},
		{"I'm on my laptop at home", OfferAnswer{}},
	} {
		if got := ParseOfferAnswer(tt.text); got != tt.want {
			t.Errorf("ParseOfferAnswer(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}
