package main

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// TestGoBuildID reads the build ID of the test binary, which the Go
// linker always writes, so a development build names itself for the KB
// index cache without hashing its whole executable.
func TestGoBuildID(t *testing.T) {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		t.Skipf("no /proc/self/exe: %v", err)
	}
	defer f.Close()
	id := goBuildID(f)
	if id == "" || strings.ContainsAny(id, "\x00\n") || len(strings.Split(id, "/")) < 2 {
		t.Fatalf("goBuildID = %q, want the linker's actionID/.../contentID", id)
	}
	if got := buildID(); got == "" {
		t.Fatal("buildID is empty")
	}
}

func TestParseGoBuildIDNote(t *testing.T) {
	note := func(name string, typ uint32, desc string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(desc)))
		b = binary.LittleEndian.AppendUint32(b, typ)
		b = append(b, name...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return append(b, desc...)
	}
	tests := []struct {
		name string
		note []byte
		want string
	}{
		{"go", note("Go\x00\x00", 4, "abc/def"), "abc/def"},
		{"other type", note("Go\x00\x00", 1, "abc/def"), ""},
		{"other name", note("GNU\x00", 4, "abc/def"), ""},
		{"short", note("Go\x00\x00", 4, "abc/def")[:18], ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		if got := parseGoBuildIDNote(tt.note, binary.LittleEndian); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
