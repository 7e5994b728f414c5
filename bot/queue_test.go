package bot

import (
	"strings"
	"testing"
	"time"
)

// /queue shows what an agent needs to pick the next ticket: who asked,
// the response deadline while nobody has answered, the resolution
// deadline, the flags, and the most at risk first — an overdue P3 before a
// fresh P1, a ticket waiting on its requester last.
func TestQueueByRisk(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy") // #1, P3: respond within 4 working hours
	d.now = d.now.Add(5 * time.Hour)
	d.finish("eve", d.run("eve", "Please reset Bob's password, I'm his manager and he is locked out")) // #2, flagged
	d.openVPN("cy")                                                                                    // #3
	d.run("dana", "/pending 3 Which network are you on?")
	q := d.run("dana", "/queue")
	lines := strings.Split(q, "\n")
	var order []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "#") {
			order = append(order, f[0])
		}
	}
	if strings.Join(order, " ") != "#1 #2 #3" {
		t.Errorf("order %v, want #1 (overdue) #2 #3 (pending):\n%s", order, q)
	}
	wantIn(t, "/queue", q,
		"#1  P3  new (unassigned)  from amy",
		"respond by Wed 18 Nov 18:30 (OVERDUE); resolve by",
		"from eve",
		"⚠ identity verification required",
		"waiting on the requester (SLA clock stopped); answered; resolve by",
	)
	// The triage card names the flag in words too.
	if got := d.delivered(); count(got, "#triage", "⚠ identity verification required") != 1 {
		t.Errorf("the flagged ticket's card: %v", got["#triage"])
	}
	// Requesters' /mine shows none of it.
	if mine := d.run("eve", "/mine"); strings.Contains(mine, "⚠") || strings.Contains(mine, "from eve") {
		t.Errorf("/mine shows agents' details:\n%s", mine)
	}
}
