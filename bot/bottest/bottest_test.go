package bottest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/bottest"
)

// The harness is a real desk: a report becomes a ticket whose triage card
// reaches the fake platform, the clock moves only when told, and a restart
// keeps what was stored.
func TestDesk(t *testing.T) {
	d := bottest.New(t, bottest.Options{})
	for _, text := range []string{"I need a new keyboard", "mine is broken", "desk 4"} {
		d.Say("amy", text)
	}
	if n := d.Deliver(); n != 1 {
		t.Fatalf("delivered %d, want the triage card", n)
	}
	if sent := d.Sent.Sent(); sent[0].Msg.To.ChannelID != "triage" || !strings.Contains(sent[0].Msg.Text, "keyboard") {
		t.Errorf("card = %+v", sent[0].Msg)
	}
	if d.Now() != bottest.Wednesday {
		t.Errorf("clock moved by itself: %v", d.Now())
	}
	d.Advance(time.Hour)
	d.Restart()
	if out := d.Say("amy", "/status 1"); !strings.Contains(out, "keyboard") {
		t.Errorf("after a restart /status 1 = %q", out)
	}
	if d.Now() != bottest.Wednesday.Add(time.Hour) {
		t.Errorf("clock after restart %v", d.Now())
	}
}
