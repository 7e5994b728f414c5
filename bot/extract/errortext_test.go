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

// A program's exception pasted bare is the error: its type with its
// message, without the stack after it.
func TestBareException(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"Teams keeps crashing when I share my screen, here's the log: Exception in thread main java.lang.NullPointerException at com.foo.Bar(Bar.java:42)", "java.lang.NullPointerException"},
		{"the app crashes with System.InvalidOperationException: Sequence contains no elements", "System.InvalidOperationException: Sequence contains no elements"},
		{"the page is blank and the console shows nothing but TypeError: x is undefined. help", "TypeError: x is undefined"},
		{"there was an error when I opened it", ""},
		// An error said otherwise, or a code before it, comes first.
		{"Outlook error: Cannot start Microsoft Outlook. Also saw a COMException.", "Cannot start Microsoft Outlook"},
		{"AADSTS50076 error when signing in, the app then throws MsalUiRequiredException", "AADSTS50076"},
		{"printer says PaperJamError on tray 2", "PaperJamError on tray 2"},
		// A name that ends in Error is no error on its own.
		{"ClearError won't open since the update", ""},
		{"I get a ValueError when I run the script", "ValueError"},
		{"having trouble with ClearError since the update", ""},
		{"I can't get ClearError to open", ""},
		{"the script fails with KeyError", "KeyError"},
	} {
		if got := Extract(tc.text, now).ErrorText; got != tc.want {
			t.Errorf("Extract(%q).ErrorText = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// Steps joined with "+" or "&" are clauses of their own, as with a comma,
// but the "+" of keys pressed together joins them.
func TestStepsJoinedWithPlus(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{"Teams crashes. Teams restart + cleared cache", "Outlook hangs, new profile & cleared cache"} {
		if got := Extract(text, now).Steps; len(got) == 0 || got[len(got)-1] != "cleared the cache" {
			t.Errorf("Extract(%q).Steps = %q, want the cache cleared", text, got)
		}
	}
	for text, want := range map[string]string{
		"the page is blank. I tried Ctrl + F5":                             "Ctrl + F5",
		"the projector shows nothing. tried Windows + P to switch display": "Windows + P to switch display",
	} {
		if got := Extract(text, now).Steps; len(got) != 1 || got[0] != want {
			t.Errorf("Extract(%q).Steps = %q, want [%q]", text, got, want)
		}
	}
}

// Words that only point back ("the same thing", "tried that yesterday")
// are neither an error message nor a step.
func TestAnaphoraIsNoFact(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{"no, it still says the same thing", "no it didn't work, I already tried that yesterday", "Outlook says the same error again"} {
		ex := Extract(text, now)
		if ex.ErrorText != "" || len(ex.Steps) > 0 {
			t.Errorf("Extract(%q): error %q, steps %q; want neither", text, ex.ErrorText, ex.Steps)
		}
	}
}
