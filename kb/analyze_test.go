package kb

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyzeTerms(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lower case and stem", "Printers Printing PRINTED", []string{"printer", "print", "print"}},
		{"stop words", "What is the best way to reset a password?", []string{"best", "reset", "password"}},
		{"chat noise", "Hi team, please help! Since this morning Outlook is slow, thanks in advance",
			[]string{"outlook", "slow"}},
		{"apostrophes", "Can't open the user's mailbox, it won’t sync", []string{"open", "user", "mailbox", "sync"}},
		{"hex error code", "Error 0x80070005 and 0x8004010F", []string{"error", "80070005", "8004010f"}},
		{"code without prefix matches", "error 80070005", []string{"error", "80070005"}},
		{"codes are not stemmed", "AADSTS50126 KB4462138 Office 2016", []string{"aadsts50126", "kb4462138", "offic", "2016"}},
		{"mfa spellings", "2FA, two-factor, multi factor authentication, MFA",
			[]string{"mfa", "mfa", "mfa", "mfa"}},
		{"wifi spellings", "Wi-Fi wifi WiFi wireless", []string{"wifi", "wifi", "wifi", "wifi"}},
		{"out of office", "set up Out of Office / automatic replies / OOO", []string{"set", "ooo", "ooo", "ooo"}},
		{"sign in", "can't log in, login failed, signing in, logon", []string{"signin", "signin", "fail", "signin", "signin"}},
		{"password", "forgot my pw / pwd / passwd", []string{"forgot", "password", "password", "password"}},
		{"single sign-on", "SSO and single sign-on", []string{"sso", "sso"}},
		{"email", "e-mail, email and mail", []string{"email", "email", "email"}},
		{"vpn clients", "GlobalProtect and AnyConnect VPN", []string{"vpn", "vpn", "vpn"}},
		{"locked out", "I'm locked out", []string{"lockout"}},
		{"non-ASCII letters", "Café Überprüfung", []string{"café", "überprüfung"}},
		{"empty", " ,. ", []string{}},
	}
	a := analyzer{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.terms(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("terms(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestAnalyzeQuoted(t *testing.T) {
	a := analyzer{}
	got := a.analyze(`error "Cannot start Microsoft Outlook" after update “sync failed”`)
	want := []token{
		{term: "error", from: "error"},
		{term: "start", quoted: true, from: "start"},
		{term: "microsoft", quoted: true, from: "microsoft"},
		{term: "outlook", quoted: true, from: "outlook"},
		{term: "updat", from: "update"},
		{term: "sync", quoted: true, from: "sync"},
		{term: "fail", quoted: true, from: "failed"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(token{})); diff != "" {
		t.Errorf("analyze (-want +got):\n%s", diff)
	}
}

// TestStemCache checks that a learned stem cache gives the same terms as
// stemming on the fly.
func TestStemCache(t *testing.T) {
	text := "Connecting connections connected, printers printing"
	learner := analyzer{stems: map[string]string{}, learn: true}
	first := learner.terms(text)
	if len(learner.stems) == 0 {
		t.Fatal("nothing learned")
	}
	learner.learn = false
	if diff := cmp.Diff(first, learner.terms(text)); diff != "" {
		t.Errorf("cached terms differ (-first +cached):\n%s", diff)
	}
	if diff := cmp.Diff(first, (&analyzer{}).terms(text)); diff != "" {
		t.Errorf("uncached terms differ (-cached +uncached):\n%s", diff)
	}
}

// TestLexiconTables checks that the synonym tables are keyed the way the
// analyzer looks them up, so that no entry is dead.
func TestLexiconTables(t *testing.T) {
	a := analyzer{}
	for from, to := range wordSynonymList {
		if stopWords[from] {
			t.Errorf("synonym %q is also a stop word", from)
		}
		if got, want := a.terms(from), tableKey(to); len(got) != 1 || got[0] != want {
			t.Errorf("terms(%q) = %q, want [%q]", from, got, want)
		}
	}
	for from, to := range phraseSynonymList {
		if len(strings.Fields(from)) < 2 {
			t.Errorf("phrase %q has one word; put it in wordSynonymList", from)
		}
		if got, want := a.terms(from), tableKey(to); len(got) != 1 || got[0] != want {
			t.Errorf("terms(%q) = %q, want [%q]", from, got, want)
		}
		// The hyphenated spelling is the same phrase.
		hyph := strings.ReplaceAll(from, " ", "-")
		if got, want := a.terms(hyph), tableKey(to); len(got) != 1 || got[0] != want {
			t.Errorf("terms(%q) = %q, want [%q]", hyph, got, want)
		}
	}
	// A canonical word must analyze to itself, or an article containing the
	// canonical word would not match its synonyms.
	for _, to := range wordSynonymList {
		if got, want := a.terms(to), tableKey(to); len(got) != 1 || got[0] != want {
			t.Errorf("canonical terms(%q) = %q, want [%q]", to, got, want)
		}
	}
	for w := range stopWords {
		if w != strings.ToLower(w) || strings.ContainsAny(w, "' ") {
			t.Errorf("stop word %q is not a lower-case word", w)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"plain", "Fixes an issue. More text.", "Fixes an issue."},
		{"question", "Can't sign in? Reset it here.", "Can't sign in?"},
		{"version number is not an end", "Office 16.0 crashes on start. Then more.", "Office 16.0 crashes on start."},
		{"skips headings and fences", "# Title\n\n```\ncode.\n```\n## Symptoms\n- **Outlook** asks for a [password](https://x/y). Again.",
			"Outlook asks for a password."},
		{"joins wrapped lines", "This line\nwraps here. Next.", "This line wraps here."},
		{"ordered list", "1. Open *Settings* now", "Open Settings now"},
		{"snake_case kept", "Set max_retries to 3.", "Set max_retries to 3."},
		{"empty", "", ""},
		{"long", strings.Repeat("word ", 60), strings.TrimSpace(strings.Repeat("word ", 40)) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FirstSentence(tt.body); got != tt.want {
				t.Errorf("FirstSentence(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}
