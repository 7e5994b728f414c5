package main

import (
	"os"
	"path/filepath"
	"testing"
)

// writeFile writes a file, such as a config, for a test of the program.
// The config's own tests are in package config.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
