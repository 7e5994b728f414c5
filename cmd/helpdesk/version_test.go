package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, tt := range []struct {
		name string
		bi   *debug.BuildInfo
		want []string
	}{
		{"tagged release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-11-30T12:04:18Z", "vcs.modified", "false")},
			[]string{"helpdesk v1.4.0 (commit 0123456789ab of 2026-11-30T12:04:18Z; go1.26.8 "}},
		{"commit with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261130120418-0123456789ab+dirty"},
			Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.modified", "true")},
			[]string{"v0.0.0-20261130120418-0123456789ab+dirty", "commit 0123456789ab, with uncommitted changes"}},
		{"no VCS", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			[]string{"helpdesk (devel) (built without version control information; go1.26.8"}},
		{"no build info", nil, []string{"no build information"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := versionLine(tt.bi)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("versionLine = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"version"}, env{stdout: &out, stderr: &errOut}); code != 0 || !strings.HasPrefix(out.String(), "helpdesk ") {
		t.Errorf("version: exit %d, %q %q", code, out.String(), errOut.String())
	}
	if code := run(t.Context(), []string{"version", "now"}, env{stdout: &out, stderr: &errOut}); code != 2 || !strings.Contains(errOut.String(), "no arguments") {
		t.Errorf("version now: exit %d, %q", code, errOut.String())
	}
}
