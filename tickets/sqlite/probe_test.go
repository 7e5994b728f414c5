package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A database file the bot may read but not write is reported as such,
// with its schema still read.
func TestProbeReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	readOnly(t, path)
	got, err := Probe(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Writes == nil || !strings.Contains(got.Writes.Error(), "readonly") {
		t.Errorf("Writes = %v, want the refusal", got.Writes)
	}
	if got.Current != got.Latest || len(got.Pending) != 0 {
		t.Errorf("schema = %+v, want it read all the same", got)
	}
}

// A database not there yet is not created by a probe; a directory it could
// not be created in is reported.
func TestProbeNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "helpdesk.db")
	got, err := Probe(t.Context(), path)
	if err != nil || got.Writes != nil || got.Current != 0 || len(got.Pending) != got.Latest {
		t.Errorf("probe of a new database = %+v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); !os.IsNotExist(err) {
		t.Errorf("the probe created the directory: %v", err)
	}
	readOnly(t, dir)
	if got, _ := Probe(t.Context(), path); got.Writes == nil {
		t.Error("probe in a directory that cannot be written: no error")
	}
}

// readOnly makes path unwritable for this process until the test ends:
// by its mode, or for root, who ignores modes, by the immutable attribute.
func readOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, 0o755) })
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s read-only for root: chattr: %v %s", path, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}
