package prompts

import (
	"strings"
	"testing"
	"time"
)

func TestTemplatesParseAndRender(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Render("secret_warning", map[string]any{"Kinds": []string{"password", "api key"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "a password and an API key") || strings.HasPrefix(out, "\n") {
		t.Errorf("secret_warning = %q", out)
	}
	if _, err := m.Render("no_such_template", nil); err == nil {
		t.Error("rendering an unknown template did not fail")
	}
}

func TestDuration(t *testing.T) {
	dur := funcs["dur"].(func(time.Duration) string)
	for d, want := range map[time.Duration]string{
		15 * time.Minute: "15 min", time.Hour: "1 hour", 4 * time.Hour: "4 hours",
		24 * time.Hour: "1 day", 72 * time.Hour: "3 days", 90 * time.Minute: "90 min", 0: "none",
	} {
		if got := dur(d); got != want {
			t.Errorf("dur(%v) = %q, want %q", d, got, want)
		}
	}
}
