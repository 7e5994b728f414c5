package main

import (
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The Dockerfile's build command, run here as it is written there
// (buildBinary): it makes a static binary (no interpreter, no shared libraries) that runs
// in an empty root, time zones and all. .ci/run builds the image itself
// only where a container engine runs.
func TestDockerfileBuild(t *testing.T) {
	bin := buildBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries: %v", libs)
	}
	f.Close()

	if os.Geteuid() != 0 {
		t.Log("not root: the run in an empty root is skipped")
		return
	}
	root := t.TempDir()
	copyFile(t, bin, filepath.Join(root, "helpdesk"))
	for _, args := range [][]string{{"version"}, {"doctor"}} {
		run := exec.Command("/helpdesk", args...)
		run.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
		run.Dir = "/"
		run.Env = []string{"HELPDESK_DATA_DIR=/data", "HELPDESK_SCHEDULE_TIMEZONE=Europe/Berlin"}
		out, err := run.CombinedOutput()
		if err != nil {
			t.Errorf("helpdesk %s in an empty root: %v\n%s", args[0], err, out)
		}
		if args[0] == "doctor" && !strings.Contains(string(out), "Every check passed") {
			t.Errorf("doctor in an empty root:\n%s", out)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
