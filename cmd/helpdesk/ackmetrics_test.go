package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// The app wires the Slack adapter's Socket Mode ack timing to /metrics:
// after a person's DM over Socket Mode, helpdesk_ack_seconds has a
// platform="slack", transport="socket" series counting that ack, and no
// http series (no Slack HTTP endpoint is served, so an empty one would
// only clutter the dashboard).
func TestSocketModeAcksOnMetrics(t *testing.T) {
	var acked atomic.Int64
	fake, err := slackfake.Start(slackfake.Options{OnAck: func(string, time.Time) { acked.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("triage: {channel: CTRIAGE}\nhttp: {addr: \"127.0.0.1:0\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := startLive(t, []string{"-config", cfg, "-data", dir}, map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": fake.APIURL()})
	base := l.httpBase()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.DM("UALICE", "My laptop can't connect to the VPN"); err != nil {
		t.Fatal(err)
	}
	// The ack is counted right after it is handed to the socket, so the
	// fake may hold it a moment before the histogram does.
	var socket uint64
	var httpN int
	waitFor(t, "the Socket Mode ack on /metrics", func() bool {
		socket, httpN = ackCounts(t, base)
		return acked.Load() >= 1 && socket >= 1
	})
	if socket != uint64(acked.Load()) {
		t.Errorf("/metrics counts %d Socket Mode acks; the fake got %d", socket, acked.Load())
	}
	if httpN != -1 {
		t.Errorf("/metrics has a Slack HTTP ack series (count %d) in Socket Mode", httpN)
	}
}

// ackCounts scrapes /metrics and returns helpdesk_ack_seconds' counts
// for Slack over Socket Mode and over HTTP (-1 when there is no such
// series).
func ackCounts(t *testing.T, base string) (socket uint64, httpAcks int) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	httpAcks = -1
	f := fams["helpdesk_ack_seconds"]
	if f == nil {
		return 0, httpAcks
	}
	for _, m := range f.Metric {
		var platform, transport string
		for _, lp := range m.Label {
			switch lp.GetName() {
			case "platform":
				platform = lp.GetValue()
			case "transport":
				transport = lp.GetValue()
			}
		}
		if platform != "slack" {
			continue
		}
		switch transport {
		case transportSocket:
			socket = m.GetHistogram().GetSampleCount()
		case transportHTTP:
			httpAcks = int(m.GetHistogram().GetSampleCount())
		}
	}
	return socket, httpAcks
}
