package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// helpdesk export writes a ticket's transcript from the database: the
// desk's copy with internal notes, the requester's (--public) without, as
// markdown or JSON; a bad flag or a missing ticket says what to do.
func TestExportTranscript(t *testing.T) {
	d := newDesk(t)
	openVPNTicket(d)
	d.session("dana", "/claim 1", "/reply 1 Try the phone hotspot", "/note 1 ISP blocks UDP 4501", "/resolve 1 Switched the VPN client to TCP mode")
	export := func(args ...string) (string, string, int) {
		var out, errOut strings.Builder
		code := run(context.Background(), append([]string{"export", "-data", d.dir}, args...), env{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }})
		return out.String(), errOut.String(), code
	}
	md, stderr, code := export("--ticket", "1")
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	contains(t, md, "# Ticket #1 — My laptop can't connect to the VPN", "## Report", "The VPN server did not respond",
		"Dana: replied: Try the phone hotspot", "Dana: internal note: ISP blocks UDP 4501 *(internal)*", "## Resolution\n\nSwitched the VPN client to TCP mode")
	public, _, _ := export("--ticket", "1", "--public")
	if strings.Contains(public, "UDP 4501") || !strings.Contains(public, "Try the phone hotspot") {
		t.Errorf("the public copy:\n%s", public)
	}
	js, stderr, code := export("--ticket", "1", "--format", "json")
	var tr struct {
		Ticket   int64 `json:"ticket"`
		Internal bool  `json:"internal"`
		Timeline []struct {
			Kind, Text string
			Internal   bool
		} `json:"timeline"`
	}
	if err := json.Unmarshal([]byte(js), &tr); err != nil || code != 0 {
		t.Fatalf("json: %v %d %s\n%s", err, code, stderr, js)
	}
	notes := 0
	for _, e := range tr.Timeline {
		if e.Kind == "note" && e.Internal && e.Text == "ISP blocks UDP 4501" {
			notes++
		}
	}
	if tr.Ticket != 1 || !tr.Internal || notes != 1 {
		t.Errorf("json transcript: %+v", tr)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "which ticket?"},
		{[]string{"--ticket", "1", "--format", "pdf"}, 2, `--format "pdf" is not a format; use md (markdown) or json`},
		{[]string{"--ticket", "7"}, 1, "there is no ticket #7"},
		{[]string{"7"}, 2, `"7" is not an option; give the ticket as --ticket N`},
	} {
		if _, stderr, code := export(c.args...); code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("export %v: %d %q, want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
