package extract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type maskCase struct {
	in, want string
	kinds    []string
}

// maskCases holds pasted secrets and, as important, the everyday talk about
// secrets that must come through unchanged.
func maskCases() []maskCase {
	const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Z\nq1w2e3r4t5y6\n-----END RSA PRIVATE KEY-----"
	pw, key, tok, pk := []string{"password"}, []string{"api key"}, []string{"token"}, []string{"private key"}
	return []maskCase{
		{"my password is Hunter2!", "my password is [masked password]", pw},
		{"My password is Hunter2. Can you unlock me?", "My password is [masked password]. Can you unlock me?", pw},
		{"password: x", "password: [masked password]", pw},
		{"pw=abc", "pw=[masked password]", pw},
		{"Pwd: s3cr3t, user jdoe", "Pwd: [masked password], user jdoe", pw},
		{"passcode: 1234", "passcode: [masked password]", pw},
		{"my pin is 4821", "my pin is [masked password]", pw},
		{"password for the guest wifi is Welcome123", "password for the guest wifi is [masked password]", pw},
		{`passwd: 'my secret phrase'`, `passwd: '[masked password]'`, pw},
		{`{"password": "p@ss w0rd"}`, `{"password": "[masked password]"}`, pw},
		{"password Summer2026! doesn't work", "password [masked password] doesn't work", pw},
		{"my new password is now Tr0ub4dor&3", "my new password is now [masked password]", pw},
		{"connect to postgres://admin:S3cret!@db.internal:5432/app", "connect to postgres://admin:[masked password]@db.internal:5432/app", pw},
		{"here's my key sk-proj-abcdefghijklmnopqrstuvwx", "here's my key [masked api key]", key},
		{"sk_live_51HxAbCdEfGhIjKlMnOp", "[masked api key]", key},
		{"AKIAIOSFODNN7EXAMPLE", "[masked api key]", key},
		{"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key=[masked api key]", key},
		{"api_key=abcd1234efgh", "api_key=[masked api key]", key},
		{"my API key is AbCdEf123456", "my API key is [masked api key]", key},
		{"client_secret: 8Q~abc.def_ghi", "client_secret: [masked api key]", key},
		{"slack token xoxb-1234567890-abcdefghij", "slack token [masked token]", tok},
		{"xapp-1-A0123456789-abcdef", "[masked token]", tok},
		{"ghp_abcdefghijklmnopqrstuvwxyz0123456789 is my PAT", "[masked token] is my PAT", tok},
		{"github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "[masked token]", tok},
		{"token: 9f8e7d6c5b4a", "token: [masked token]", tok},
		{"use `token=abcd1234xyz` in the header", "use `token=[masked token]` in the header", tok},
		{"Authorization: Bearer abc.DEF-123_ghi", "Authorization: Bearer [masked token]", tok},
		{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired?", "[masked token] expired?", tok},
		{"key:\n" + pem + "\nthanks", "key:\n[masked private key]\nthanks", pk},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA", "[masked private key]", pk},
		{"-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg-----END PRIVATE KEY----- ok", "[masked private key] ok", pk},
		{"pw: Hunter2! and token=abcdef123456", "pw: [masked password] and token=[masked token]", []string{"password", "token"}},
		// Talk about secrets, not secrets.
		{"I forgot my password", "I forgot my password", nil},
		{"password reset isn't working", "password reset isn't working", nil},
		{"the token expired", "the token expired", nil},
		{"my password is expired", "my password is expired", nil},
		{"My password is not working since Monday", "My password is not working since Monday", nil},
		{"password 2FA", "password 2FA", nil},
		{"pin is not accepted", "pin is not accepted", nil},
		{"the API key is invalid", "the API key is invalid", nil},
		{"Bearer authentication fails", "Bearer authentication fails", nil},
		{"I need a new Okta token", "I need a new Okta token", nil},
		{"my password is [masked password]", "my password is [masked password]", nil},
		{"pw =[masked password]", "pw =[masked password]", nil}, // found by FuzzMaskSecrets
		{"public key: -----BEGIN PUBLIC KEY----- MFkw", "public key: -----BEGIN PUBLIC KEY----- MFkw", nil},
		{"ask-me-anything session", "ask-me-anything session", nil},
		{"", "", nil},
	}
}

func TestMaskSecrets(t *testing.T) {
	t.Parallel()
	for _, tc := range maskCases() {
		got, kinds := MaskSecrets(tc.in)
		if got != tc.want || !cmp.Equal(kinds, tc.kinds) {
			t.Errorf("MaskSecrets(%q)\n = %q, %q\nwant %q, %q", tc.in, got, kinds, tc.want, tc.kinds)
		}
	}
}

// TestMaskSecretsLarge: a pasted log may be long; the key at its end is still
// found, and in time.
func TestMaskSecretsLarge(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("INFO request ok id=42 ", 5000) + " password=Hunter2!"
	got, kinds := MaskSecrets(in)
	if strings.Contains(got, "Hunter2") || !cmp.Equal(kinds, []string{"password"}) {
		t.Errorf("MaskSecrets(large) leaked or missed: kinds %q, tail %q", kinds, got[len(got)-40:])
	}
}

// FuzzMaskSecrets: no panic, masking is idempotent (the core masks a message
// the adapter may already have masked), and nothing outside a masked span
// changes.
func FuzzMaskSecrets(f *testing.F) {
	for _, tc := range maskCases() {
		f.Add(tc.in)
	}
	f.Add("password: \xff\xfe token=\x00abc12345")
	f.Fuzz(func(t *testing.T, in string) {
		once, kinds := MaskSecrets(in)
		twice, again := MaskSecrets(once)
		if twice != once || again != nil {
			t.Fatalf("not idempotent: %q -> %q -> %q (%q)", in, once, twice, again)
		}
		if (kinds == nil) != (once == in) {
			t.Fatalf("kinds %q but text changed=%v", kinds, once != in)
		}
	})
}
