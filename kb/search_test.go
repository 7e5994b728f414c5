package kb

import (
	"fmt"
	"sync"
	"testing"
)

// synthetic is a small knowledge base whose articles share many words, so
// that ranking has to use titles, synonyms, codes and word pairs.
var synthetic = []Article{
	{ID: "vpn", Title: "VPN won't connect", Category: "network", Tags: []string{"vpn", "globalprotect", "remote"},
		Summary: "Fix the VPN client when it fails to connect from home.",
		Body:    "If GlobalProtect cannot connect, check your internet connection, restart the computer and approve the MFA prompt."},
	{ID: "vpn-dns", Title: "VPN connected but internal sites don't load", Category: "network", Tags: []string{"intranet", "dns"},
		Summary: "The VPN says connected but the intranet and shared drives do not open.",
		Body:    "When the VPN is connected but internal sites fail to load, flush DNS and reconnect. Shared drives need the VPN."},
	{ID: "password-reset", Title: "Forgot your password? Reset it yourself", Category: "account", Tags: []string{"password", "reset", "sspr"},
		Summary: "Reset a forgotten password in the self-service portal.",
		Body:    "Open the self-service portal, verify with your phone and choose a new password. Your account unlocks at once."},
	{ID: "password-expired", Title: "Password expired — change it", Category: "account", Tags: []string{"password", "expiry"},
		Summary: "Change an expired password on Windows, macOS or the web.",
		Body:    "Press Ctrl+Alt+Delete and choose Change a password. On macOS use Users & Groups. The password must be new."},
	{ID: "lockout", Title: "Account locked out", Category: "account", Tags: []string{"lockout", "unlock"},
		Summary: "Locked out after too many wrong passwords? Wait or unlock it yourself.",
		Body:    "After ten wrong password attempts the account locks for 15 minutes. Old phones retrying an old password keep locking it."},
	{ID: "mfa-phone", Title: "New or lost phone: move your authenticator", Category: "mfa", Tags: []string{"authenticator", "new phone"},
		Summary: "Move Microsoft Authenticator to a new phone.",
		Body:    "Before you wipe the old phone, add the new phone in the security info page. Lost phone? Ask the help desk for a temporary access pass."},
	{ID: "wifi", Title: "Can't join the office Wi-Fi", Category: "network", Tags: []string{"wifi", "wireless", "guest network"},
		Summary: "Forget the office network and join it again.",
		Body:    "Forget the corporate network, reconnect and accept the certificate. Guests use the guest network."},
	{ID: "ooo", Title: "Set up automatic replies in Outlook", Category: "email", Tags: []string{"automatic replies", "vacation"},
		Summary: "Turn on automatic replies before you go on leave.",
		Body:    "In Outlook choose File, Automatic Replies, and write a message for people inside and outside the company."},
	{ID: "outlook-0x8004010f", Title: "Outlook send/receive error", Category: "email", Tags: []string{"outlook", "send receive"},
		Summary: "Outlook shows an error when sending or receiving mail.",
		Body:    "Error 0x8004010F means the offline data file cannot be accessed. Create a new Outlook profile."},
	{ID: "outlook-0x800ccc0e", Title: "Outlook cannot connect to the server", Category: "email", Tags: []string{"outlook", "server"},
		Summary: "Outlook shows an error when it cannot reach the mail server.",
		Body:    "Error 0x800CCC0E means Outlook cannot connect to the server. Check the server name and the network."},
	{ID: "printer", Title: "Printer offline or jobs stuck", Category: "printing", Tags: []string{"printer", "queue"},
		Summary: "Bring a printer back online and clear stuck print jobs.",
		Body:    "Restart the printer, clear the print queue and check the printer is on the same network."},
}

func TestSearchRanksRightArticleFirst(t *testing.T) {
	ix := NewIndex(synthetic)
	tests := []struct{ query, want string }{
		{"vpn won't connect", "vpn"},
		{"hi, my laptop can't connect to the VPN since this morning, I already rebooted", "vpn"},
		{"vpn is connected but the intranet doesn't load", "vpn-dns"},
		{"forgot my pw", "password-reset"},
		{"how do I reset my password", "password-reset"},
		{"my password expired", "password-expired"},
		{"I'm locked out of my account, please help", "lockout"},
		{"lockout after too many attempts", "lockout"},
		{"got a new phone, need to move my 2FA", "mfa-phone"},
		{"wifi in the office doesn't work", "wifi"},
		{"wireless network at the office", "wifi"},
		{"how to set out of office in outlook", "ooo"},
		{"outlook error 0x8004010F", "outlook-0x8004010f"},
		{"outlook error 800CCC0E", "outlook-0x800ccc0e"},
		{"printer offline", "printer"},
		{`outlook "cannot connect to the server"`, "outlook-0x800ccc0e"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := ix.Search(tt.query, 3)
			if len(res) == 0 {
				t.Fatalf("no results, want %s", tt.want)
			}
			if got := res[0].Article.ID; got != tt.want {
				t.Errorf("first result %s (%.2f), want %s; all: %v", got, res[0].Score, tt.want, ids(res))
			}
		})
	}
}

func TestSearchResults(t *testing.T) {
	ix := NewIndex(synthetic)
	if got := ix.Len(); got != len(synthetic) {
		t.Errorf("Len = %d, want %d", got, len(synthetic))
	}
	tests := []struct {
		query string
		k     int
		want  int // number of results
	}{
		{"password", 2, 2},
		{"password", 100, 3},
		{"zebra giraffe", 5, 0},
		{"the and of", 5, 0},
		{"", 5, 0},
		{"password", 0, 0},
		{"password", -1, 0},
	}
	for _, tt := range tests {
		res := ix.Search(tt.query, tt.k)
		if len(res) != tt.want {
			t.Errorf("Search(%q, %d) returned %d results %v, want %d", tt.query, tt.k, len(res), ids(res), tt.want)
		}
		for i := 1; i < len(res); i++ {
			if res[i].Score > res[i-1].Score {
				t.Errorf("Search(%q): result %d scores %.3f above %.3f", tt.query, i, res[i].Score, res[i-1].Score)
			}
		}
		for _, r := range res {
			if r.Score <= 0 {
				t.Errorf("Search(%q): %s has score %.3f", tt.query, r.Article.ID, r.Score)
			}
		}
	}
	// The index keeps its own copy of the articles.
	arts := append([]Article(nil), synthetic...)
	ix = NewIndex(arts)
	arts[0].Title = "changed"
	if res := ix.Search("vpn won't connect", 1); res[0].Article.Title != "VPN won't connect" {
		t.Errorf("index shares the caller's slice: title %q", res[0].Article.Title)
	}
	if res := NewIndex(nil).Search("vpn", 3); len(res) != 0 {
		t.Errorf("empty index returned %v", ids(res))
	}
}

// TestSearchTopKMatchesFullSort checks the heap selection against the full
// ranking for every k.
func TestSearchTopKMatchesFullSort(t *testing.T) {
	ix := NewIndex(synthetic)
	for _, q := range []string{"password account phone", "outlook error server network", "the network"} {
		all := ix.Search(q, len(synthetic))
		for k := 1; k <= len(all); k++ {
			got := ix.Search(q, k)
			if fmt.Sprint(ids(got)) != fmt.Sprint(ids(all[:k])) {
				t.Errorf("Search(%q, %d) = %v, want %v", q, k, ids(got), ids(all[:k]))
			}
		}
	}
}

func TestSearchConcurrent(t *testing.T) {
	ix := NewIndex(synthetic)
	want := map[string]string{}
	queries := []string{"vpn won't connect", "forgot my pw", "printer offline", "outlook error 0x8004010F"}
	for _, q := range queries {
		want[q] = fmt.Sprint(ids(ix.Search(q, 5)))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				q := queries[(g+i)%len(queries)]
				if got := fmt.Sprint(ids(ix.Search(q, 5))); got != want[q] {
					t.Errorf("concurrent Search(%q) = %s, want %s", q, got, want[q])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func ids(res []Result) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.Article.ID
	}
	return out
}

func TestArticleByID(t *testing.T) {
	ix := NewIndex([]Article{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}})
	if a, ok := ix.Article("b"); !ok || a.Title != "B" {
		t.Errorf("Article(b) = %v, %v", a, ok)
	}
	if _, ok := ix.Article("c"); ok {
		t.Error("Article(c) found a missing article")
	}
}
