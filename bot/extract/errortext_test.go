package extract

import (
	"testing"
	"time"
)

// An error code is read in the words German, French and Spanish speakers
// write it with, as in English ("error 809").
func TestErrorCodeInOtherLanguages(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"mein VPN verbindet sich nicht mehr, Fehler 809.", "Fehler 809"},
		{"Outlook startet nicht: Fehlercode 0x800CCC0E", "0x800CCC0E"},
		{"le VPN ne se connecte plus, erreur 720", "erreur 720"},
		{"la impresora no imprime, código de error 50", "código de error 50"},
		{"the VPN won't connect, error 809", "error 809"},
	} {
		if got := Extract(tc.text, now).ErrorText; got != tc.want {
			t.Errorf("Extract(%q).ErrorText = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// An unquoted message ends where the person's comment on it begins.
func TestUnquotedErrorEndsAtTheirComment(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"The printer shows Paper jam in tray 2 but there is no paper stuck.", "Paper jam in tray 2"},
		{"Outlook says cannot connect to server although the internet works", "cannot connect to server"},
		{"the VPN client says Authentication failed.", "Authentication failed"},
	} {
		if got := Extract(tc.text, now).ErrorText; got != tc.want {
			t.Errorf("Extract(%q).ErrorText = %q, want %q", tc.text, got, tc.want)
		}
	}
}
