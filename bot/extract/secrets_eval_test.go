package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// evalDir holds the evaluation sets beside the repository (see
// ../shared/eval/README.md); the test skips without them.
const evalDir = "../../../shared/eval"

// TestMaskEvalText measures masking on text nobody here wrote: the chat
// reports (which do paste a password or two), and the Microsoft 365
// symptom descriptions and queries, which hold error messages, IDs and
// version numbers but no secret. On those, nearly nothing may change.
//
//	go test ./bot/extract -run TestMaskEvalText -v
func TestMaskEvalText(t *testing.T) {
	for _, set := range []struct {
		file, field string
		maxShare    float64 // of texts changed; 0: report only
	}{
		{"intake-chat-dev.jsonl", "text", 0},
		{"intake-m365-dev.jsonl", "text", 0.01},
		{"queries-dev.jsonl", "query", 0.01},
		{"kb.jsonl", "body", 0},
	} {
		f, err := os.Open(filepath.Join(evalDir, set.file))
		if os.IsNotExist(err) {
			t.Skipf("%s is not here", filepath.Join(evalDir, set.file))
		} else if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		n, changed := 0, 0
		for sc.Scan() {
			var item map[string]any
			if err := json.Unmarshal(sc.Bytes(), &item); err != nil {
				t.Fatalf("%s: %v", set.file, err)
			}
			text, _ := item[set.field].(string)
			n++
			if _, kinds := MaskSecrets(text); kinds != nil {
				changed++
			}
		}
		f.Close()
		share := float64(changed) / float64(max(n, 1))
		t.Logf("%-24s %4d of %4d texts masked (%.1f %%)", set.file, changed, n, 100*share)
		if set.maxShare > 0 && share > set.maxShare {
			t.Errorf("%s: %.1f %% of texts masked, want at most %.0f %%", set.file, 100*share, 100*set.maxShare)
		}
	}
}
