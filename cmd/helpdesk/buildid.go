package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// buildID names the code of this program for the knowledge base's index
// cache, which must be rebuilt whenever the code that builds an index may
// have changed: the module version or commit it was built from when the
// tree had no uncommitted changes, else the Go toolchain's build ID of the
// executable (a hash of its inputs and of the linked file, read from the
// file's header in well under a millisecond), else a hash of the
// executable file (some 25 ms for 41 MB). "" means none is known, and the
// cache is not used.
func buildID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" && settings["vcs.modified"] == "false" {
			return fmt.Sprintf("commit %s %s", rev, bi.GoVersion)
		}
		// go install module@version stamps no VCS settings but the
		// version; one built from a changed tree ends in +dirty.
		if v := bi.Main.Version; v != "" && v != "(devel)" && !strings.HasSuffix(v, "+dirty") && settings["vcs.modified"] != "true" {
			return fmt.Sprintf("version %s %s", v, bi.GoVersion)
		}
	}
	// /proc/self/exe is the running image even when its file was
	// replaced since (os.Executable names the path, which may now hold a
	// newer build); elsewhere the path is what there is.
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, err := os.Executable()
		if err != nil {
			return ""
		}
		if f, err = os.Open(exe); err != nil {
			return ""
		}
	}
	defer f.Close()
	if id := goBuildID(f); id != "" {
		return "go build id " + id
	}
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "executable " + hex.EncodeToString(h.Sum(nil))
}

// goBuildID returns the build ID the Go linker writes into an ELF
// executable's .note.go.buildid section ("" for another format, or a
// binary linked with -buildid= or by another toolchain). Its last part is
// a hash of the linked file, so two different executables never share it.
func goBuildID(f io.ReaderAt) string {
	ef, err := elf.NewFile(f)
	if err != nil {
		return ""
	}
	sec := ef.Section(".note.go.buildid")
	if sec == nil || sec.Size > 4096 {
		return ""
	}
	note, err := sec.Data()
	if err != nil {
		return ""
	}
	return parseGoBuildIDNote(note, ef.ByteOrder)
}

// parseGoBuildIDNote reads an ELF note of name "Go" and type 4, the
// linker's build ID note: name size, description size and type as 32-bit
// words, then the name and the description, each padded to 4 bytes.
func parseGoBuildIDNote(note []byte, order binary.ByteOrder) string {
	const goBuildIDNote = 4
	if len(note) < 16 {
		return ""
	}
	nameSize, descSize, typ := order.Uint32(note), order.Uint32(note[4:]), order.Uint32(note[8:])
	name := (uint64(nameSize) + 3) &^ 3
	if typ != goBuildIDNote || nameSize != 4 || 12+name+uint64(descSize) > uint64(len(note)) {
		return ""
	}
	if !bytes.Equal(note[12:12+nameSize], []byte("Go\x00\x00")) {
		return ""
	}
	return string(note[12+name : 12+name+uint64(descSize)])
}
