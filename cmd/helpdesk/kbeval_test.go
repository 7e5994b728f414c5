package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalFiles writes a tiny evaluation set and returns its two paths.
func evalFiles(t *testing.T) (kbFile, qFile string) {
	t.Helper()
	dir := t.TempDir()
	kbFile = filepath.Join(dir, "kb.jsonl")
	qFile = filepath.Join(dir, "q.jsonl")
	os.WriteFile(kbFile, []byte(`{"id":"a-1","title":"Reset your password","body":"Use the self-service portal to reset a forgotten password."}
{"id":"a-2","title":"Printer offline","body":"Restart the printer and clear stuck print jobs."}
{"id":"b-3","title":"VPN will not connect","body":"Check your internet and restart the VPN client."}
`), 0o600)
	os.WriteFile(qFile, []byte(`{"qid":"q1","query":"forgot my password","relevant":{"a-1":1}}
{"qid":"q2","query":"print jobs stuck","relevant":{"a-2":1}}
{"qid":"q3","query":"restart the printer, 2FA fine","relevant":{"b-3":1}}
`), 0o600)
	return kbFile, qFile
}

func TestKBEvalThresholdsAndSources(t *testing.T) {
	kbFile, qFile := evalFiles(t)
	out, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"a   ", "b   ", "min_score", "good withheld", "bad shown", "not in KB, shown", "0.200", "<- default"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestKBEvalExplain(t *testing.T) {
	kbFile, qFile := evalFiles(t)
	// Without --qid: the misses only (q3 ranks the printer article first).
	out, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"q3 — relevant: b-3 (ranked 2)", "2fa→mfa[synonym, not in KB]", "(the)", `term "printer"  (title 1, summary 1, body 1)`, "offer confidence"} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "q1 —") {
		t.Errorf("explained a query ranked right without --qid:\n%s", out)
	}
	out, _, code = runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--explain", "--qid", "q1")
	if code != 0 || !strings.Contains(out, "q1 — relevant: a-1 (ranked 1)") || strings.Contains(out, "q3") {
		t.Errorf("--qid q1: exit %d:\n%s", code, out)
	}
	if _, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--explain", "--qid", "nope"); code == 0 || !strings.Contains(errOut, `no query has qid "nope"`) {
		t.Errorf("unknown qid: exit %d, %s", code, errOut)
	}
	if _, errOut, code := runCmd(t, "kb", "eval", "--kb", kbFile, "--queries", qFile, "--explain", "--limit", "0"); code != 2 || !strings.Contains(errOut, "--limit 0") {
		t.Errorf("--limit 0: exit %d, %s", code, errOut)
	}
}

func TestKBEvalFit(t *testing.T) {
	kbFile, qFile := evalFiles(t)
	out, errOut, code := runCmd(t, "kb", "eval", "--fit", "--kb", kbFile, "--queries", qFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"fitted on the other 5 folds", "fitted on the other half only", "const offerBias", "// confidence"} {
		if !strings.Contains(out, want) {
			t.Errorf("--fit output lacks %q:\n%s", want, out)
		}
	}
}
