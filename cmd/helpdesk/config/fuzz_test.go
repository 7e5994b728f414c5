package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecode reads whatever the fuzzer makes as a config file, as LoadEnv
// does: strict YAML, key lines, then every check. It must never panic, and
// a refusal is a sentence naming what is wrong.
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 10s ./cmd/helpdesk/config/
func FuzzDecode(f *testing.F) {
	if example, err := os.ReadFile(filepath.Join("..", "..", "..", "config.example.yaml")); err == nil {
		f.Add(example)
	}
	for _, s := range []string{"", "workers: 4", "workers: -1", "workers: [1]", "sla:\n  P1:\n    response: quickly\n",
		"agents:\n  - name: Dana\n    ids: [\"slack:U1\"]\n    tier: 9\n", "unknown: 1", "a: &a [*a]", "schedule:\n  timezone: Mars/Base\n",
		"business_hours:\n  days: [Funday]\n", "triage:\n  platform: slack\n", "\t", "- 1\n- 2", "workers: 1e400", "log:\n  level: LOUD\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fl file
		if err := decode(data, &fl); err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Error("a refusal without words")
			}
			return
		}
		fl.lines = keyLines(data)
		if _, err := fl.resolve([]string{"console"}); err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Error("a refusal without words")
		}
	})
}
