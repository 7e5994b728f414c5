package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// runHealth runs "helpdesk health": it asks a running bot's /healthz (or
// /readyz) and exits 0 when it answers 200. It is the container image's
// health check, which has no curl.
func runHealth(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("helpdesk health", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "the bot's http.addr")
	ready := fs.Bool("ready", false, "ask /readyz (started: database migrated, KB index built, each platform answered once) instead of /healthz")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "helpdesk health: unexpected argument %q; it takes -addr and -ready\n", fs.Arg(0))
		return 2
	}
	host := *addr
	if strings.HasPrefix(host, ":") {
		host = "127.0.0.1" + host // http.addr ":8080" listens on every address
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+path, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk health: -addr %q: %v\n", *addr, err)
		return 2
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk health: no answer from %s: %v (is helpdesk running with http.addr %s?)\n", host, err, *addr)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(e.stdout, "%s %s", resp.Status, body)
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
