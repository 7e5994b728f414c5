package config

import (
	"strings"
	"testing"
)

func TestKBMinScore(t *testing.T) {
	for _, tt := range []struct {
		yaml    string
		want    float64
		wantErr string
	}{
		{"kb: {}\n", defaultKBMinScore, ""},
		{"kb: {min_score: 0}\n", 0, ""},
		{"kb: {min_score: 0.35}\n", 0.35, ""},
		{"kb: {min_score: 4}\n", 0, "kb.min_score: 4 is out of range"},
	} {
		cfg, err := load(t, tt.yaml)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err %v, want %q", tt.yaml, err, tt.wantErr)
			}
			continue
		}
		if err != nil || cfg.Bot.KBMinScore != tt.want {
			t.Errorf("%q: min score %v (err %v), want %v", tt.yaml, cfg.Bot.KBMinScore, err, tt.want)
		}
	}
}
