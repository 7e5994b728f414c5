package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPastedSecretsNeverStored pastes into the console what the issue saw
// stored raw — an .env password, a Hugging Face token, an OpenAI key in an
// environment line, a Slack bot token, a Basic authorization header, curl
// -u, a Discord webhook, a private key line by line, a password hidden
// with a word joiner — as a requester's report and answers and as an
// agent's reply and note, with the debug log on. None of them is in the
// database, its WAL, the log or anything the program printed.
func TestPastedSecretsNeverStored(t *testing.T) {
	d := newDesk(t)
	d.config = tieredConfig + "log: {level: debug}\n"
	secrets := []string{
		"Qw3rtyEnvPass77",
		"hf_XmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa",
		"sk-proj-4f9K2mX8qL7vN3bR6tY1wE5uI0oP9aS2dF4gH7jK",
		"xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
		"YWRtaW46SHVudGVyMiE=",
		"Hunter2!x",
		"AbCdEf-GhIjKl_MnOpQrStUvWxYz0123456789abcdefGHIJKLmnopqrstu",
		"MIIEowIBAAKCAQEAx4ZqR2mB8vN7cT5pL9wK3jF6hD1sG0aY4uI2oE8rW5tQ7yU",
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn",
		"W0rdJ0inerPass",
	}
	out := d.session("gina",
		"My laptop can't reach the HR database since this morning, it says \"login failed\". The .env has DB_PASSWORD=Qw3rtyEnvPass77 and I already rebooted.",
		"no",
		"here is my token hf_XmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa if that helps",
		"OPENAI_API_KEY=sk-proj-4f9K2mX8qL7vN3bR6tY1wE5uI0oP9aS2dF4gH7jK",
		"SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
		"just me",
		"I can't work at all",
		"Authorization: Basic YWRtaW46SHVudGVyMiE=",
		"curl -u admin:Hunter2!x https://intranet.example.com/api",
		"the bot posts to https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOpQrStUvWxYz0123456789abcdefGHIJKLmnopqrstu",
		"-----BEGIN OPENSSH PRIVATE KEY-----",
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn",
		"MIIEowIBAAKCAQEAx4ZqR2mB8vN7cT5pL9wK3jF6hD1sG0aY4uI2oE8rW5tQ7yU",
		"-----END OPENSSH PRIVATE KEY-----",
		"my pass\u2060word is W0rdJ0inerPass",
		"/as dana",
		"/claim 1",
		"/reply 1 Please reset it, the old one was DB_PASSWORD=Qw3rtyEnvPass77",
		"/note 1 she pasted hf_XmZqWbTrLkJhGfDsApOiUyTrEwQlKjHgFdSa, revoke it",
	)
	contains(t, out, "Ticket #1 is open", "Please change it now")
	lacks(t, out, secrets...)
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		checked[e.Name()] = true
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds %q", e.Name(), s)
			}
		}
	}
	for _, f := range []string{"helpdesk.db", "helpdesk.log"} {
		if !checked[f] {
			t.Errorf("%s was not written; files: %v", f, checked)
		}
	}
	if log, _ := os.ReadFile(filepath.Join(d.dir, "helpdesk.log")); !strings.Contains(string(log), "[masked") {
		t.Errorf("the debug log shows no masked message; is debug logging on?\n%s", log)
	}
}
