package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// runVersion prints what "helpdesk version" says: the build's version and
// commit, from what the Go toolchain stamped into the binary.
func runVersion(args []string, e env) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(e.stdout, "Usage: helpdesk version\n  Print the version and commit this binary was built from.")
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "helpdesk version: takes no arguments (got %q)\n", args[0])
		return 2
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, versionLine(bi))
	return 0
}

// versionLine describes a build. Go stamps the main module's version from
// the VCS tag (v1.2.3) or commit (a pseudo-version) when the binary is
// built in a git checkout, and the commit, its time and whether the tree
// had changes as vcs.* settings; "(devel)" without a commit means the
// build had no version control information (-buildvcs=false, or a source
// tree without .git).
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "helpdesk (no build information) " + runtime.Version()
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var parts []string
	if rev := settings["vcs.revision"]; rev != "" {
		c := "commit " + rev[:min(len(rev), 12)]
		if t := settings["vcs.time"]; t != "" {
			c += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			c += ", with uncommitted changes"
		}
		parts = append(parts, c)
	} else if version == "(devel)" {
		parts = append(parts, "built without version control information")
	}
	goVersion := bi.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	parts = append(parts, goVersion+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("helpdesk %s (%s)", version, strings.Join(parts, "; "))
}
