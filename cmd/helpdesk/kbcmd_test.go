package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now})
	return out.String(), errOut.String(), code
}

func TestKBSearchBuiltin(t *testing.T) {
	out, errOut, code := runCmd(t, "kb", "search", "-k", "3", "outlook keeps asking for my password")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[3], "Offer confidence ") {
		t.Fatalf("want 3 ranked lines and the offer, got:\n%s", out)
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[0]), "1.") || !strings.Contains(lines[0], "outlook-wont-open-password-prompts") {
		t.Errorf("first result = %q, want the Outlook password article", lines[0])
	}
}

// The eval command works on any file of the eval format, not just ours.
func TestKBEvalOnAnyFile(t *testing.T) {
	dir := t.TempDir()
	kbFile := filepath.Join(dir, "kb.jsonl")
	qFile := filepath.Join(dir, "q.jsonl")
	os.WriteFile(kbFile, []byte(`{"id":"a-1","title":"Reset your password","body":"Use the self-service portal to reset a forgotten password."}
{"id":"a-2","title":"Printer offline","body":"Restart the printer and clear stuck print jobs."}
{"id":"a-3","title":"VPN will not connect","body":"Check your internet and restart the VPN client."}
`), 0o600)
	os.WriteFile(qFile, []byte(`{"qid":"q1","query":"forgot my password","relevant":{"a-1":1}}
{"qid":"q2","query":"print jobs stuck","relevant":{"a-2":1}}
{"qid":"q3","query":"restart the client, internet is fine","relevant":{"a-3":1}}
`), 0o600)
	out, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"3", "R@1", "R@5", "MRR@10", "1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestKBCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{not json\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"kb"}, "kb search TEXT"},
		{"unknown subcommand", []string{"kb", "frob"}, `unknown subcommand "frob"`},
		{"search without text", []string{"kb", "search"}, "give a text to search for"},
		{"bad k", []string{"kb", "search", "-k", "0", "vpn"}, "-k 0 is out of range"},
		{"eval without files", []string{"kb", "eval"}, "both --kb and --queries are needed"},
		{"eval missing file", []string{"kb", "eval", "--kb", filepath.Join(dir, "none.jsonl"), "--queries", bad}, "none.jsonl"},
		{"eval malformed file", []string{"kb", "eval", "--kb", bad, "--queries", bad}, "bad.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCmd(t, tt.args...)
			if code == 0 {
				t.Fatal("exit 0")
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
		})
	}
}

// The dev split, when ../shared is present: the README's figures come from
// this command.
func TestKBEvalDevSplit(t *testing.T) {
	kbFile, qFile := "../../../shared/eval/kb.jsonl", "../../../shared/eval/queries-dev.jsonl"
	if _, err := os.Stat(kbFile); err != nil {
		t.Skip("../shared/eval not present")
	}
	out, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	t.Logf("\n%s", out)
	if !strings.Contains(out, "880") {
		t.Errorf("report does not count 880 queries:\n%s", out)
	}
}

// kb search includes the articles published at the desk.
func TestKBSearchIncludesPublished(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "helpdesk.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	md := "---\nid: badge-reader-blinks-red\ntitle: Badge reader blinks red at the door\ncategory: hardware\ntags: [badge, door]\nsummary: A red blink means the badge needs re-enrolling at reception.\n---\nAsk reception to re-enrol your badge.\n"
	now := time.Now()
	if err := st.SaveDraft(context.Background(), &kb.StoredArticle{ID: "badge-reader-blinks-red", Markdown: md, CreatedBy: "console:dana", CreatedAt: now, UpdatedBy: "console:dana", UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PublishArticle(context.Background(), "badge-reader-blinks-red", "console:ada", now); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte("database: "+db+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "kb", "search", "-config", cfg, "-k", "1", "the badge reader blinks red")
	if code != 0 || !strings.Contains(out, "badge-reader-blinks-red") {
		t.Errorf("kb search = %d %q %q, want the published article first", code, out, errOut)
	}
}
