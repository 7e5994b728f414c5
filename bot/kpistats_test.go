package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// /stats: a manager sees the desk's week against the week before, an
// agent their own, a requester nothing; a bad period says how to write one.
func TestStatsCommand(t *testing.T) {
	d := newDesk(t)
	// Last week: one ticket, claimed and resolved by Dana within the hour.
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.now = d.now.Add(20 * time.Minute)
	d.run("dana", "/reply 1 please try the hotspot")
	d.now = d.now.Add(40 * time.Minute)
	d.run("dana", "/resolve 1 switched to TCP")

	// This week: two tickets; Dana resolves one in two hours, the other
	// waits.
	d.now = d.now.Add(7 * 24 * time.Hour)
	d.openVPN("bob")
	d.openVPN("cat")
	d.run("dana", "/claim 2")
	d.now = d.now.Add(2 * time.Hour)
	d.run("dana", "/resolve 2 reinstalled the client")
	d.now = d.now.Add(time.Hour)
	d.bot.HandleAction(context.Background(), chat.Action{Platform: "test", ChannelID: "dm-bob", User: person("bob"), Name: chat.ActionRate, Value: "2:5"})

	out := d.run("mia", "/stats")
	wantIn(t, "manager's /stats", out, "Desk KPIs, last 7 days (Wed 18 Nov 18:30 – Wed 25 Nov 18:30), change against the 7 days before",
		"Opened 2 (+1) · resolved 1 (same)", "First contact resolution 100% (same)",
		"Time to resolve: median 2.0h (+1.0h)", "SLA met: response 100%", "Backlog now 1 (+1), oldest 3.0h", "CSAT 5.0 of 5 from 1 rating (100% of resolved)")

	out = d.run("dana", "/stats")
	wantIn(t, "agent's /stats", out, "Your KPIs, last 7 days", "Resolved 1 (same)", "your handling: mean 2.0h (+1.0h)", "Open with you now 0")
	if strings.Contains(out, "Opened") {
		t.Errorf("an agent saw the desk's figures:\n%s", out)
	}
	out = d.run("tom", "/stats 30d")
	wantIn(t, "an agent with nothing", out, "Your KPIs, last 30 days", "Resolved 0 (same)", "median —")

	if out := d.run("amy", "/stats"); !strings.Contains(out, "agents") || strings.Contains(out, "KPIs") {
		t.Errorf("a requester's /stats: %s", out)
	}
	for bad, want := range map[string]string{
		"/stats lots":  `I can't read "lots" as a period: write it like 24h, 7d, 30d or 4w. Usage: /stats [period]`,
		"/stats -3d":   "/stats shows periods from an hour to a year",
		"/stats 5000d": "/stats shows periods from an hour to a year",
		"/stats 400d":  "for longer, run helpdesk report --since on the server",
		"/stats 10m":   "from an hour to a year",
	} {
		if out := d.run("mia", bad); !strings.Contains(out, want) {
			t.Errorf("%s: %s\nwant %q", bad, out, want)
		}
	}
}
