package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the built binary as a separate process, the way a person
// does, and stop it with real signals mid-conversation.

// buildBinary builds the program as the Dockerfile does, so the process
// tests run the binary that ships (TestDockerfileBuild checks the rest).
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var build string
	for line := range strings.Lines(string(dockerfile)) {
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build") {
			build = strings.TrimSpace(strings.TrimPrefix(line, "RUN "))
		}
	}
	if build == "" || strings.Count(build, "/out/helpdesk") != 1 || !strings.HasPrefix(build, "CGO_ENABLED=0 ") {
		t.Fatalf("the Dockerfile's build command %q is not a CGO_ENABLED=0 go build -o /out/helpdesk", build)
	}
	bin := filepath.Join(t.TempDir(), "helpdesk")
	cmd := exec.Command("sh", "-c", strings.Replace(build, "/out/helpdesk", bin, 1))
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, out)
	}
	return bin
}

// proc is a running helpdesk process with its console on pipes.
type proc struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func start(t *testing.T, bin, dir, user string) *proc {
	t.Helper()
	cmd := exec.Command(bin, "-data", dir, "-user", user)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, stdin: stdin, lines: make(chan string, 1000)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return p
}

func (p *proc) say(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

// expect waits for a line containing want. The deadline only stops a hung
// test; it asserts nothing about speed.
func (p *proc) expect(want string) {
	p.t.Helper()
	expectLine(p.t, p.lines, want, func() string { return "" })
}

// expectLine waits for a line from lines containing want and returns it;
// more says what else to show when it does not come. The deadline only
// stops a hung test.
func expectLine(t *testing.T, lines <-chan string, want string, more func() string) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the program ended before printing %q%s", want, more())
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline:
			t.Fatalf("no line containing %q%s", want, more())
		}
	}
}

func TestKillAndRestartMidConversation(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	// One person per signal, so each run is a fresh report in the same database.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			p := start(t, bin, dir, sig.String())
			p.expect("Describe a problem to report it")
			p.say("my docking station stopped detecting my second screen since yesterday")
			p.expect("fix it? Reply")
			p.say("no")
			p.expect("The exact error message, if there is one?")
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := p.cmd.Wait()
			if sig != syscall.SIGKILL && err != nil {
				t.Fatalf("exit after %v: %v, want a clean stop", sig, err)
			}

			q := start(t, bin, dir, sig.String())
			q.expect("Describe a problem to report it")
			q.say("unplugged and replugged the dock")
			q.expect("Who is affected")
			q.say("just me")
			q.expect("How much is this stopping you")
			q.say("not urgent")
			q.expect("is open: my docking station stopped detecting my second screen")
			q.say("/quit")
			q.expect("bye")
			if err := q.cmd.Wait(); err != nil {
				t.Fatalf("exit after /quit: %v", err)
			}
		})
	}
}
