package extract

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// TestLevelsFromIndirectWording: impact and urgency are read from who else
// has it, deadlines, workarounds and "no rush", in several languages.
func TestLevelsFromIndirectWording(t *testing.T) {
	const lo, med, hi = tickets.Low, tickets.Medium, tickets.High
	for _, tc := range []struct {
		msg      string
		imp, urg tickets.Level
	}{
		{"The scanner skips pages, only my scans though, the others scan fine", lo, ""},
		{"Timesheet portal logs me out. My colleague Omar has the same problem.", med, ""},
		{"the plotter prints stripes, a teammate with the same model has it too", med, ""},
		{"nobody in payroll can open the ledger", med, ""},
		{"nobody in the Porto office can reach the intranet", hi, ""},
		{"many people in our building lost their network drive", hi, ""},
		{"everyone on the third floor lost wifi", med, ""},
		{"is the intranet down or is it just me?", "", ""},
		{"Die Kollegen im Lager haben das gleiche Problem", med, ""},
		{"Mes collègues du service paie non plus", med, ""},
		{"nur ich", lo, ""},
		{"solo yo", lo, ""},
		{"seulement moi", lo, ""},
		{"the expense tool hangs. I need to file my report by 5pm", "", hi},
		{"slides won't export, the pitch deck is due in an hour", "", hi},
		{"can't connect, I have a customer call at 3", "", hi},
		{"my token app is empty, can't sign in to anything", "", hi},
		{"the desktop client is blank, web works so I'm using that", "", med},
		{"dictation doesn't work, typing manually still works", "", med},
		{"the badge printer is slow, no hurry", "", lo},
		{"Kann nicht arbeiten, Outlook startet nicht", "", hi},
		{"no puedo trabajar, la VPN falla", "", hi},
		{"L'imprimante bourre, pas urgent", "", lo},
		{"Teams sound is choppy, a bit annoying", "", lo},
		{"my team's shared calendar needs a new colour", "", ""},
	} {
		ex := Extract(tc.msg, extractNow)
		if ex.Impact != tc.imp || ex.Urgency != tc.urg {
			t.Errorf("Extract(%q): impact %q, urgency %q; want %q, %q", tc.msg, ex.Impact, ex.Urgency, tc.imp, tc.urg)
		}
	}
}

// BenchmarkFirstMessage measures what intake runs on a first message of
// up to 1 KB (Extract, and RequestFields for a request) and reports the
// p50 and p99 per message, in wall time and in the thread's CPU time.
func BenchmarkFirstMessage(b *testing.B) {
	var msgs []string
	for _, tc := range extractCases() {
		if len(tc.msg) <= 1<<10 {
			msgs = append(msgs, tc.msg)
		}
	}
	msgs = append(msgs,
		"Tomas Berg starts on Monday the 9th as a Support Engineer, reporting to Ines Cruz. Can you set up his account? He will need read-only access to the Support share for the onboarding project, approved by Ines Cruz.",
		strings.Repeat("The Kyocera on floor 3 shows \"Toner end\" since this morning, I already swapped the cartridge. ", 11)[:1000])
	var took, cpu []time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := msgs[i%len(msgs)]
		t0 := time.Now()
		c0, ok0 := threadCPU()
		if ex := Extract(m, extractNow); AsksFor(m) { // as intake: the fields of a request only
			RequestFields(m, ex)
		}
		if c1, ok1 := threadCPU(); ok0 && ok1 {
			cpu = append(cpu, c1-c0)
		}
		took = append(took, time.Since(t0))
	}
	report := func(ds []time.Duration, unit string) {
		if len(ds) == 0 {
			return
		}
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-"+unit)
		b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-"+unit)
	}
	report(took, "µs")
	report(cpu, "cpu-µs") // the thread's own CPU time: what a loaded machine does not blur
}

// A deadline the problem stops them meeting, or nobody able to work, is
// high urgency.
func TestUrgencyOfAMissedPresentation(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{"whole team has it. can't present to the client at 3pm!!", "I can't join the board call in 10 minutes",
		"the wifi in the whole office is down since 10 minutes, nobody can work",
		// The business stops: customers are not served.
		"everyone on my team, we can't take customer calls", "the till is down, we can't take payments",
		"reception can't check in guests"} {
		if got := Extract(text, now).Urgency; got != "high" {
			t.Errorf("Extract(%q).Urgency = %q, want high", text, got)
		}
	}
}

// A time or "work" that is not a deadline today is no urgency.
func TestUrgencyNotFromATimeAlone(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{"the backup script can't run at 2am", "I can't join meetings at 9am on Mondays since the update",
		"nobody can work out why the printer jams", "I can't make calls from the meeting room phone"} {
		if got := Extract(text, now).Urgency; got == "high" {
			t.Errorf("Extract(%q).Urgency = high", text)
		}
	}
}

// Words about others that are not others having the problem are no reach
// of it; an outage everyone reports is.
func TestImpactNotFromNames(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for text, want := range map[string]tickets.Level{
		"nobody can work out why the printer jams": "",
		"nobody can hear me on Teams calls":        "",
		"everyone else can print, only I can't":    tickets.Low,
		"everybody says the wifi is down":          tickets.High,
		"the whole team can't log in":              tickets.Medium,
	} {
		if got := Extract(text, now).Impact; got != want {
			t.Errorf("Extract(%q).Impact = %q, want %q", text, got, want)
		}
	}
}
