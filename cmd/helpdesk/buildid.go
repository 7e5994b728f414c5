package main

import (
	"crypto/sha256"
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
// tree had no uncommitted changes, else a hash of the executable file (a
// few tens of milliseconds, for development builds only). "" means neither
// is known, and the cache is not used.
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
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "executable " + hex.EncodeToString(h.Sum(nil))
}
