package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestBench runs the load tool briefly: the real bot in-process against
// the fake Slack, with latency and Slack's limits on. It checks that
// every conversation reached its ticket and every ticket was worked, and
// that the report names each figure; it asserts no timing.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the whole bot")
	}
	var out, errOut bytes.Buffer
	args := []string{"bench", "-employees", "3", "-reports", "3", "-agents", "2", "-latency", "2ms", "-think", "10ms", "-limits", "-channel-rate", "20", "-timeout", "2m", "-data", t.TempDir()}
	if code := run(context.Background(), args, env{stdout: &out, stderr: &errOut, now: time.Now}); code != 0 {
		t.Fatalf("bench exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"3 done, 0 astray; agents: 3 claims, 3 resolves",
		"unanswered 0",
		"msgs/s", "event→ack          p50", "event→reply        p50", "posts per channel  peak",
		"CPU", "peak RSS", "database", "chat.postMessage",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

// TestBenchStorm runs the outage briefly: a major incident opened, then
// every employee reports the same problem once and is answered.
func TestBenchStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the whole bot")
	}
	var out, errOut bytes.Buffer
	args := []string{"bench", "-storm", "VPN is down", "-employees", "6", "-reports", "6", "-think", "10ms", "-latency", "1ms", "-limits", "-timeout", "2m", "-data", t.TempDir()}
	if code := run(context.Background(), args, env{stdout: &out, stderr: &errOut, now: time.Now}); code != 0 {
		t.Fatalf("bench exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{`storm: 6 reports of "VPN is down"`, "6 done, 0 astray", "unanswered 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBenchBadFlags: a wrong setting says what is wrong and what to do.
func TestBenchBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-employees", "0"}, "at least one employee"},
		{[]string{"-platform", "teams"}, "use -platform slack"},
		{[]string{"-latency", "-5ms"}, "latency is negative"},
		{[]string{"stray"}, "every setting is a flag"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"bench"}, c.args...), env{stdout: &out, stderr: &errOut, now: time.Now})
		if code == 0 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("bench %v: exit %d, stderr %q; want a failure saying %q", c.args, code, errOut.String(), c.want)
		}
	}
}
