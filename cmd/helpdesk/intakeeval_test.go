package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// intakeCases writes a small labelled cases file of our own and returns
// its path.
func intakeCases(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const ownCases = `{"id":"c1","text":"Excel crashes every time I open the budget sheet, it says \"Excel has stopped working\". Already rebooted twice.","labels":{"kind":"incident","request":null,"category":"software","device":null,"app":"Excel","error":"Excel has stopped working","started":null,"steps":["rebooted"],"impact":null,"urgency":null,"third_party":false,"fields":{}}}
{"id":"c2","text":"I would like a second monitor for my desk please","labels":{"kind":"request","request":"hardware","category":"hardware","device":"monitor","app":null,"error":null,"started":null,"steps":[],"impact":null,"urgency":null,"third_party":false,"fields":{"item":"second monitor"}}}
{"id":"m1","text":"When I open a shared mailbox in Outlook, I receive the error \"The set of folders cannot be opened\".","labels":{"category":"email","alt_category":null,"app":"Outlook","error":"The set of folders cannot be opened","errors":["The set of folders cannot be opened"]}}
{"id":"m2-ne","text":"Calendar reminders in Outlook keep coming back after I dismiss them.","labels":{"category":"email","alt_category":null,"app":"Outlook","error":"","errors":[]}}
`

func TestIntakeEvalWritesResultsAndFigures(t *testing.T) {
	cases := intakeCases(t, ownCases)
	out := filepath.Join(t.TempDir(), "results.jsonl")
	stdout, stderr, code := runCmd(t, "intake", "eval", "--cases", cases, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Chat cases: 2", "facts re-asked", "steps found, when stated", "incident vs service request right", "catalog fields answered, asked again",
		"device or app: precision", "error text exact, when stated", "non-English first messages", "M365 cases: 2", "app found, when named", "category right (strict)", "Time per first message"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("figures lack %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 result lines, got %d:\n%s", len(lines), data)
	}
	wantKeys := []string{"app", "asks", "category", "device", "error", "fields", "id", "impact", "kind", "request", "started", "steps", "third_party", "urgency"}
	byID := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("keys %v, want %v", keys, wantKeys)
		}
		byID[m["id"].(string)] = m
	}
	if c1 := byID["c1"]; c1["kind"] != "incident" || c1["app"] != "Excel" || c1["error"] != "Excel has stopped working" {
		t.Errorf("c1: %v", c1)
	}
	if c2 := byID["c2"]; c2["kind"] != "request" || c2["request"] != "hardware" {
		t.Errorf("c2: %v", c2)
	}
	if m2 := byID["m2-ne"]; m2["error"] != nil {
		t.Errorf("m2-ne: an error where none is quoted: %v", m2["error"])
	}
}

func TestIntakeEvalExplain(t *testing.T) {
	cases := intakeCases(t, ownCases)
	stdout, stderr, code := runCmd(t, "intake", "eval", "--cases", cases, "--explain", "--id", "c1")
	if code != 0 || !strings.Contains(stdout, "c1: Excel crashes") || !strings.Contains(stdout, "asks:") {
		t.Errorf("--explain --id c1: exit %d, %s\n%s", code, stderr, stdout)
	}
	if _, stderr, code := runCmd(t, "intake", "eval", "--cases", cases, "--explain", "--id", "nope"); code != 1 || !strings.Contains(stderr, `no case has id "nope"`) {
		t.Errorf("unknown id: exit %d, %s", code, stderr)
	}
}

func TestIntakeEvalBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		body string
		code int
		want string
	}{
		{name: "no subcommand", args: []string{"intake"}, code: 2, want: "the only subcommand is eval"},
		{name: "no cases", args: []string{"intake", "eval"}, code: 2, want: "--cases is needed"},
		{name: "not JSON", body: "{\"id\":\"a\",\"text\":\"x\"}\nnot json\n", code: 1, want: "line 2"},
		{name: "no text", body: "{\"id\":\"a\"}\n", code: 1, want: "needs a non-empty \"id\" and \"text\""},
		{name: "id twice", body: "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n", code: 1, want: "used twice"},
		{name: "empty", body: "\n", code: 1, want: "holds no cases"},
		{name: "bad limit", body: ownCases, args: []string{"--limit", "0"}, code: 2, want: "--limit 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.body != "" {
				args = append([]string{"intake", "eval", "--cases", intakeCases(t, tc.body)}, args...)
			}
			_, stderr, code := runCmd(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}
