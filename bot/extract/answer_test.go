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
		{"gracias, ya funciona", true},
		{"danke, geht wieder", true},
		{"merci, ça marche", true},
		{"es geht nicht", false},
		{"ça marche pas", false},
		{"no funciona", false},
		{"is it fixed?", false},
		{"is it working?", false},
		{"is it fixed", false},
		{"ok, is it fixed", false},
		{"thanks, is it resolved", false},
		{"did the trick, thanks!", true},
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

func TestOnlyLinks(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"https://intranet.example.com/hr/payroll", true},
		{"  https://a.example.com/x  www.example.org ", true},
		{"https://intranet.example.com/hr/payroll gives a 404", false},
		{"the intranet is down", false},
		{"", false},
	} {
		if got := OnlyLinks(tc.text); got != tc.want {
			t.Errorf("OnlyLinks(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A web address says nothing of the language around it: "example.com" is
// not Portuguese "com".
func TestLanguageSkipsLinks(t *testing.T) {
	if got := Language("https://intranet.example.com/hr/payroll"); got != "en" {
		t.Errorf("Language of a bare link = %q, want en", got)
	}
	if got := Language("no puedo abrir https://intranet.example.com/hr"); got != "es" {
		t.Errorf("Language of Spanish with a link = %q, want es", got)
	}
}

func TestSaysSorted(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ok it works now, thanks", true},
		{"all good now, thanks", true},
		{"did the trick, thanks!", true},
		{"gracias, ya funciona", true},
		{"ok fine, thanks", false},
		{"all good, thanks", false},
		{"good thanks", false},
		{"thanks!", false},
	} {
		if got := SaysSorted(tc.text); got != tc.want {
			t.Errorf("SaysSorted(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestAddsAnother(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"also the printer on floor 2 is jammed", true},
		{"oh and also outlook is slow", true},
		{"Oh, and btw my mouse lags", true},
		{"another thing: teams won't start", true},
		{"unrelated, but my badge doesn't open the door", true},
		{"on a side note, the wifi drops", true},
		{"P.S. my keyboard is broken", true},
		{"PS: the scanner is offline", true},
		{"the printer is also jammed", false},
		{"just me, and I can't work", false},
		{"nothing yet", false},
		{"andrew can't log in either", false},
	} {
		if got := AddsAnother(tc.text); got != tc.want {
			t.Errorf("AddsAnother(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestCompromised(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"I think I clicked a phishing link in an email 10 minutes ago", true},
		{"got a weird email, opened the suspicious attachment before I noticed", true},
		{"I typed my password into what I now think was a fake login page", true},
		{"my account has been hacked, it sends spam", true},
		{"all my files are encrypted and there's a ransom note", true},
		{"I left my laptop on the train", true},
		{"someone logged into my account from Brazil", true},
		{"how do I report a phishing email?", false},
		{"my laptop is slow", false},
		{"I lost the charger cable", false},
		{"I clicked the link in the IT newsletter and it's a 404", false},
	} {
		if got := Compromised(tc.text); got != tc.want {
			t.Errorf("Compromised(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
