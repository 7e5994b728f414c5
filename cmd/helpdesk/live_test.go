package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// live is the program running in-process while a test talks to it: its
// console on a pipe, its stdout read line by line, the environment given.
type live struct {
	t      *testing.T
	in     *io.PipeWriter
	lines  chan string
	cancel context.CancelFunc
	done   chan int
	errMu  sync.Mutex
	errOut strings.Builder
}

// lockedWriter lets the program's loggers write stderr while a test reads
// it.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func startLive(t *testing.T, args []string, vars map[string]string) *live {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	l := &live{t: t, in: inW, lines: make(chan string, 1000), cancel: cancel, done: make(chan int, 1)}
	e := env{stdin: inR, stdout: outW, stderr: lockedWriter{&l.errMu, &l.errOut}, now: time.Now,
		getenv: func(k string) string { return vars[k] }}
	go func() {
		code := run(ctx, args, e)
		outW.Close()
		l.done <- code
	}()
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-l.done:
		case <-time.After(30 * time.Second):
			t.Error("the program did not stop")
		}
	})
	return l
}

// expect waits for a line of stdout containing want and returns it.
func (l *live) expect(want string) string {
	l.t.Helper()
	return expectLine(l.t, l.lines, want, func() string { return "; stderr:\n" + l.stderr() })
}

func (l *live) say(line string) {
	l.t.Helper()
	if _, err := io.WriteString(l.in, line+"\n"); err != nil {
		l.t.Fatal(err)
	}
}

func (l *live) stderr() string {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.errOut.String()
}

// exit stops the program (as a signal would) and returns its exit code.
func (l *live) exit() int {
	l.t.Helper()
	l.cancel()
	l.in.Close()
	go func() {
		for range l.lines {
		}
	}()
	select {
	case code := <-l.done:
		l.done <- code
		return code
	case <-time.After(30 * time.Second):
		l.t.Fatal("the program did not stop")
		return -1
	}
}

var httpLine = regexp.MustCompile(`HTTP: (http://\S+)`)

// httpBase waits for the banner's HTTP line and returns the base URL.
func (l *live) httpBase() string {
	l.t.Helper()
	return httpLine.FindStringSubmatch(l.expect("HTTP: http://"))[1]
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
