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
		{"password: xyz", "password: [masked password]", pw},
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
// the adapter may already have masked), nothing but masked spans and
// invisible format characters changes, and none of those is left.
func FuzzMaskSecrets(f *testing.F) {
	for _, tc := range maskCases() {
		f.Add(tc.in)
	}
	f.Add("password: \xff\xfe token=\x00abc12345")
	f.Add("pass\u2060word=Hunter2x \u202e 3f9a8c7e6d5b4a39281706f5e4d3c2b1:0a1b2c3d")
	f.Add("Authorization: Basic YWRtaW46SHVudGVyMiE= curl -u a:b hooks.slack.com/services/T0/B0/x")
	f.Fuzz(func(t *testing.T, in string) {
		once, kinds := MaskSecrets(in)
		twice, again := MaskSecrets(once)
		if twice != once || again != nil {
			t.Fatalf("not idempotent: %q -> %q -> %q (%q)", in, once, twice, again)
		}
		if (kinds == nil) != (once == StripInvisible(in)) {
			t.Fatalf("kinds %q but text changed=%v: %q -> %q", kinds, once != StripInvisible(in), in, once)
		}
		if StripInvisible(once) != once {
			t.Fatalf("format characters left in %q", once)
		}
	})
}

// TestMaskPasted: what the issue saw stored raw, each as pasted into chat.
func TestMaskPasted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, secret string }{
		{"DB_PASSWORD=Qw3rtyEnvPass77", "Qw3rtyEnvPass77"},
		{"my token is hf_XmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa please revoke", "hf_XmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa"},
		{"OPENAI_API_KEY=sk-proj-4f9K2mX8qL7vN3bR6tY1wE5uI0oP9aS2dF4gH7jK", "sk-proj-4f9K2mX8qL7vN3bR6tY1wE5uI0oP9aS2dF4gH7jK"},
		{"SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"},
		{"Authorization: Basic YWRtaW46SHVudGVyMiE=", "YWRtaW46SHVudGVyMiE="},
		{"curl -u admin:Hunter2! https://intranet.example.com/api", "Hunter2!"},
		{"the bot posts to https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOpQrStUvWxYz0123456789abcdefGHIJKLmnopqrstu", "AbCdEf-GhIjKl_MnOpQrStUvWxYz0123456789abcdefGHIJKLmnopqrstu"},
		{"hooks.slack.com/services/T0ABC1234/B0DEF5678/aBcDeFgHiJkLmNoPqRsTuVwX", "aBcDeFgHiJkLmNoPqRsTuVwX"},
		{"ABIA3EXAMPLE7KEY1234 and ACCA9SAMPLE2KEY56789", "ABIA3EXAMPLE7KEY1234"},
		{"glpat-xY9zA8bC7dE6fG5hI4jK and glptt-0123456789abcdef0123456789abcdef01234567", "glpat-xY9zA8bC7dE6fG5hI4jK"},
		{"here: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ", "c2lnbmF0dXJlLXNpZ25hdHVyZQ"},
		{`{"api_key": "k9Xm2Qw8Lp3Zr7Vt"}`, "k9Xm2Qw8Lp3Zr7Vt"},
		{`githubToken := "ghp_R4nd0mStr1ngTh4tL00ksL1k3AT0k3n99"`, "ghp_R4nd0mStr1ngTh4tL00ksL1k3AT0k3n99"},
		{"AWS_TOKEN=FwoGZXIvYXdzEJr3kq8xZ2Lm9Pq", "FwoGZXIvYXdzEJr3kq8xZ2Lm9Pq"},
		{"Server=db01;Database=hr;User Id=sa;Password=S3cure!Pass;", "S3cure!Pass"},
		{"mysql -u root -pR00tPassw0rd -h db01", "R00tPassw0rd"},
		{"$pw = ConvertTo-SecureString 'Winter2026!' -AsPlainText -Force", "Winter2026!"},
		{"my bitlocker recovery key is 123456-234567-345678-456789-567890-678901-789012-890123", "123456-234567"},
		{"https://example.com/callback?code=abc&access_token=Zx81Qm0rT7Pw2LkN9vB4&state=1", "Zx81Qm0rT7Pw2LkN9vB4"},
		{"I pasted 3f9a8c7e6d5b4a39281706f5e4d3c2b1 into the config", "3f9a8c7e6d5b4a39281706f5e4d3c2b1"},
		// A key pasted line by line (the console reads one line a message).
		{"MIIEowIBAAKCAQEAx4ZqR2mB8vN7cT5pL9wK3jF6hD1sG0aY4uI2oE8rW5tQ7yU", "MIIEowIBAAKCAQEAx4Zq"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----", ""},
		{"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn", "b3BlbnNzaC1rZXktdjEAAAAA"},
	} {
		got, kinds := MaskSecrets(tc.in)
		if tc.secret != "" && strings.Contains(got, tc.secret) || kinds == nil {
			t.Errorf("MaskSecrets(%q) = %q, %q: the secret is still there", tc.in, got, kinds)
		}
	}
}

// TestMaskUnicode: invisible and look-alike characters hide nothing, and
// format characters are not stored.
func TestMaskUnicode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"pass\u2060word: Hunter2x", "password: [masked password]"}, // word joiner
		{"pass\u00adword: Hunter2x", "password: [masked password]"}, // soft hyphen
		{"pass\u200cword: Hunter2x", "password: [masked password]"}, // zero-width non-joiner
		{"password: Hun\u200bter2x", "password: [masked password]"}, // zero-width space in the value
		{"ｐａｓｓｗｏｒｄ: Hunter2x", "ｐａｓｓｗｏｒｄ: [masked password]"},       // full width keyword kept as written
		{"𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝 = Hunter2x", "𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝 = [masked password]"},     // mathematical bold
		{"token=gh\u200dp_R4nd0mStr1ngTh4tL00ksL1k3AT0k3n99", "token=[masked token]"},
		{"hf_\ufeffXmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa", "[masked token]"},
		{"my laptop \u202eeb ot sraeppa\u202c is broken", "my laptop eb ot sraeppa is broken"}, // RTL override dropped
		{"I love 👩\u200d💻 work", "I love 👩\u200d💻 work"},                                       // emoji joiner kept
	} {
		got, _ := MaskSecrets(tc.in)
		if got != tc.want {
			t.Errorf("MaskSecrets(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestMaskOrdinarySentences: what people write about passwords and keys
// is not a secret, and a warning about one would teach them to ignore the
// real ones.
func TestMaskOrdinarySentences(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"my password expired!",
		"how do I do a password reset?",
		"my pin is 4 digits",
		"My password is not working since Monday",
		"password=\nthe next line is not a password",
		"I typed the password: it says wrong password",
		"password: expired",
		"the password is entered correctly but it is rejected",
		"make sure the password is set to never expire",
		"Set Database Password: Use this feature to require a password",
		"my password was recently reset by the help desk",
		"I need a password reset for SAP, my user is jdoe",
		"Password policy: 12 characters minimum",
		"keyboard: Logitech K380 not pairing",
		"hotkey: ctrl+alt+del does nothing",
		"Registry key: HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Office",
		"the token expired after the update",
		"Outlook keeps asking for my password since the update to Version 2308 (Build 16731.20234)",
		"my PC DESKTOP-7HG2KD9 won't boot, error 0x80070005",
		"Teams error caa70004 on my MacBookPro2021 running Windows11Pro2024",
		"I ran Connect-IPPSSession and Grant-CsTeamsUpgradePolicy",
		"Correlation ID: 8c3f0f4e-5b1a-4d2e-9f3c-7a6b5c4d3e2f",
		"Request Id: 5e8a4d3c-2b1a-4f9e-8d7c-6b5a4e3d2c1b, Trace ID 0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		"SHA256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"PublicKeyToken=31bf3856ad364e35",
		"the file is at C:\\Users\\jdoe\\AppData\\Local\\Temp\\setup_x64_v2.3.1.log",
		"see https://contoso.sharepoint.com/sites/IT/Shared%20Documents/VPN-Setup-Guide-2024.docx",
		"my email is jane.doe+it@example.com and my phone 0044 20 7946 0958",
		"send it to cdn-a1b2c3d4e5f6a7b8.cloudfront.net please",
		"version 16.0.14326.20404 and KB5034441 installed",
		"my Discord ID is 123456789012345678",
		"the pw field is empty",
		"pin: not set",
		"Passwort vergessen, bitte zurücksetzen",
		"olvidé mi contraseña esta mañana",
		"I forgot my mot de passe",
	} {
		if got, kinds := MaskSecrets(in); kinds != nil || got != in {
			t.Errorf("MaskSecrets(%q) = %q, %q; want it unchanged", in, got, kinds)
		}
	}
}

// BenchmarkMaskSecrets: a typical report, a message at the desk's 4,000-byte
// limit full of key-like text, and a model answer at its 16 KiB cap.
func BenchmarkMaskSecrets(b *testing.B) {
	report := `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`
	dense := strings.Repeat("token=3f9a8c7e6d5b4a39 hf_XmZqWbTrLkJhGfDsApOiUyTr password: Hunter2! ", 60)[:4000]
	answer := strings.Repeat("The user reports that Outlook asks for the password again after the update; steps: rebooted, cleared credentials. ", 150)[:16<<10]
	for _, c := range []struct{ name, text string }{{"report", report}, {"dense-4KB", dense}, {"answer-16KiB", answer}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				MaskSecrets(c.text)
			}
		})
	}
}
