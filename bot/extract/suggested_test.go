package extract

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func TestCheckSuggested(t *testing.T) {
	report := `My docking station stopped working on Monday, the screen says "No signal" and I tried unplugging it`
	for _, tt := range []struct {
		name     string
		in       Suggested
		check    func(Extraction) bool
		rejected []string
	}{
		{"all good", Suggested{Device: "docking station", Error: "no signal", Started: "on Monday", Category: "hardware", Impact: "just me", Urgency: "high"},
			func(ex Extraction) bool {
				return ex.Device != "" && ex.ErrorText == "no signal" && ex.StartedAt.Weekday() == time.Monday &&
					ex.Category == tickets.CategoryHardware && ex.Impact == tickets.Low && ex.Urgency == tickets.High
			}, nil},
		{"invented error text", Suggested{Error: "0x80070005 access denied"}, func(ex Extraction) bool { return ex.ErrorText == "" }, []string{"error"}},
		{"invented start", Suggested{Started: "yesterday"}, func(ex Extraction) bool { return ex.StartedAt.IsZero() }, []string{"started"}},
		{"unparseable start", Suggested{Started: "docking station"}, func(ex Extraction) bool { return ex.StartedAt.IsZero() }, []string{"started"}},
		{"unknown category", Suggested{Category: "furniture"}, func(ex Extraction) bool { return ex.Category == "" }, []string{"category"}},
		{"device not in the report", Suggested{Device: "printer"}, func(ex Extraction) bool { return ex.Device == "" }, []string{"device"}},
		{"not a level", Suggested{Impact: "purple", Urgency: "banana"}, func(ex Extraction) bool { return ex.Impact == "" && ex.Urgency == "" }, []string{"impact", "urgency"}},
		{"secret masked", Suggested{Error: `no signal`, Steps: []string{"password: Hunter2!x"}}, func(ex Extraction) bool {
			return !strings.Contains(strings.Join(ex.Steps, " "), "Hunter2")
		}, []string{"steps"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, rejected := tt.in.Check(report, extractNow)
			if !tt.check(ex) {
				t.Errorf("Check = %+v", ex)
			}
			if !slices.Equal(rejected, tt.rejected) {
				t.Errorf("rejected %v, want %v", rejected, tt.rejected)
			}
		})
	}
}
