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

// The desk's messages to requesters wait for business hours: a ticket
// opened Friday 16:00 gets its first status (P3: after 24h quiet) on
// Monday at 09:00, not Saturday at 16:00, and the "still fixed?" of a
// ticket resolved on Friday evening comes Monday morning. A status sent
// after the deadline passed does not say it is "expected by" that time.
func TestRequesterMessagesWaitForBusinessHours(t *testing.T) {
	d, at := berlinDesk(t)
	sweepTo := func(from, to time.Time) map[string][]string {
		t.Helper()
		all := map[string][]string{}
		for now := from; !now.After(to); now = now.Add(30 * time.Minute) {
			d.now = now
			if _, err := d.bot.runTimers(context.Background()); err != nil {
				t.Fatal(err)
			}
			for to, msgs := range d.delivered() {
				for _, m := range msgs {
					all[to] = append(all[to], d.now.Format("Mon 15:04")+" "+m)
				}
			}
		}
		return all
	}
	d.now = at(20, 16)
	id := d.openVPN("amy")
	d.delivered()
	if got := sweepTo(at(20, 16), at(23, 8)); len(got["@amy"]) != 0 {
		t.Errorf("the requester heard from the desk while it was closed: %q", got["@amy"])
	}
	got := sweepTo(at(23, 8).Add(30*time.Minute), at(23, 9))
	if len(got["@amy"]) != 1 || !strings.Contains(got["@amy"][0], "Mon 09:00 Status of your ticket") {
		t.Errorf("status when the desk opens: %q", got["@amy"])
	}
	// Monday 09:00 plus 24h is Tuesday 09:00, past the deadline (Monday
	// 15:00: 2 working hours on Friday, 6 on Monday).
	d.run("dana", fmt.Sprintf("/claim %d", id))
	d.delivered()
	got = sweepTo(at(24, 8), at(24, 10))
	if status := strings.Join(got["@amy"], "\n"); !strings.Contains(status, "was due by Mon 23 Nov 15:00 and is taking longer") || strings.Contains(status, "expected by") {
		t.Errorf("status after the deadline: %q", got["@amy"])
	}
	// Resolved Friday 17:30: "still fixed?" Monday 09:00, not Saturday.
	d.now = at(27, 17).Add(30 * time.Minute)
	d.run("dana", fmt.Sprintf("/resolve %d gateway certificate renewed", id))
	d.delivered()
	if got := sweepTo(d.now, at(30, 8)); len(got["@amy"]) != 0 {
		t.Errorf("over the weekend: %q", got["@amy"])
	}
	got = sweepTo(at(30, 8).Add(30*time.Minute), at(30, 9))
	if len(got["@amy"]) != 1 || !strings.Contains(got["@amy"][0], "Mon 09:00 Is #1") {
		t.Errorf("follow-up when the desk opens: %q", got["@amy"])
	}
	// Asked Monday 09:00, amy has the 48 hours the desk gives to answer
	// (72h to close, 24h to ask): not until Monday 17:30, 72h after the
	// resolution.
	if got = sweepTo(at(30, 9).Add(30*time.Minute), at(32, 8).Add(30*time.Minute)); len(got["@amy"]) != 0 {
		t.Errorf("closed before the time to answer was up: %q", got["@amy"])
	}
	if got = sweepTo(at(32, 9), at(32, 9)); len(got["@amy"]) != 1 || !strings.Contains(got["@amy"][0], "is closed now") {
		t.Errorf("close 48h after asking: %q", got["@amy"])
	}
}

// The times people say are read on the desk's clock: "since this morning"
// said at 09:30 in Tokyo (00:30 UTC) is 09:00 Tokyo time, not "now" on a
// server's UTC clock, where 09:00 has not come yet.
func TestPeopleSayTimesOnTheDesksClock(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	d := newDesk(t, func(c *Config, _ *Options) { c.Location = loc })
	d.now = time.Date(2026, 11, 18, 0, 30, 0, 0, time.UTC) // 09:30 in Tokyo
	out := d.finish("amy", d.run("amy", "my laptop can't connect to the VPN since this morning"))
	wantIn(t, "ticket", out, "Started: Wed 18 Nov 09:00 (since this morning)")
}
