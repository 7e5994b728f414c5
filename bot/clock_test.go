package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Times in the desk's messages are on the desk's clock (Berlin here), not
// in UTC, as the store gives them back: a ticket opened Monday 09:00 in
// Berlin is to be first answered by 13:00 Berlin time, and every message
// that names a time says 13:00 or 17:00, never 12:00 or 16:00.
func TestTimesOnTheDesksClock(t *testing.T) {
	d, at := berlinDesk(t)
	d.now = at(23, 9)
	id := d.openVPN("amy") // respond by Mon 13:00, resolve by Mon 17:00 (Berlin)
	d.delivered()
	d.run("dana", fmt.Sprintf("/claim %d", id))
	sweep := func(now time.Time) map[string][]string {
		t.Helper()
		d.now = now
		if _, err := d.bot.runTimers(context.Background()); err != nil {
			t.Fatal(err)
		}
		return d.delivered()
	}
	claimed := d.delivered()
	warn := sweep(at(23, 15)) // the resolution warning, 2h before 17:00
	if _, err := d.bot.agentDigests(context.Background(), at(24, 8)); err != nil {
		t.Fatal(err)
	}
	digest := d.delivered()
	queue, show := d.run("dana", "/queue"), d.run("dana", fmt.Sprintf("/show %d", id))
	for _, tc := range []struct {
		name, text, want string
	}{
		{"/show", show, "resolve by Mon 23 Nov 17:00"},
		{"card after the claim", strings.Join(claimed["#triage"], "\n"), "resolve by Mon 23 Nov 17:00"},
		{"SLA warning", strings.Join(warn["#triage"], "\n"), "resolved by Mon 23 Nov 17:00"},
		{"agent digest", strings.Join(digest["@dana"], "\n"), "OVERDUE since Mon 17:00"},
		{"queue", queue, "Mon 23 Nov 17:00"},
	} {
		for _, utc := range []string{"12:00", "16:00"} {
			if strings.Contains(tc.text, utc) {
				t.Errorf("%s shows %s, the UTC time:\n%s", tc.name, utc, tc.text)
			}
		}
		if !strings.Contains(tc.text, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.name, tc.want, tc.text)
		}
	}
}
