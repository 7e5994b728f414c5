package extract

import (
	"slices"
	"testing"
)

// TestStepsInAnyPhrasing: a step is found however it is put, and what the
// machine did, or what happened before the problem, is not a step.
func TestStepsInAnyPhrasing(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want []string // nil: no step
	}{
		{"Scanner shows a blank page. Re-plugged the USB lead twice.", []string{"checked the cables"}},
		{"the projector won't switch on, tried a different remote at the front desk", []string{"a different remote at the front desk"}},
		{"Excel keeps freezing. I already tried disabling all add-ins.", []string{"disabling all add-ins"}},
		{"badge reader beeps red. checked the battery, it's new", []string{"checked the battery"}},
		{"Outlook is stuck syncing, rebuilt the profile but no change", []string{"rebuilt the profile"}},
		{"Disabling the firewall didn't help, the share still times out", []string{"Disabling the firewall"}},
		{"Tried Firefox and Safari, both show the same page", []string{"Firefox and Safari"}},
		{"switched it off and on again, same", []string{"rebooted"}},
		{"Tried 'open in desktop app' which works", []string{"'open in desktop app'"}},
		{"Ya borré la caché del navegador y sigue igual", []string{"Ya borré la caché del navegador y sigue igual"}},
		{"J'ai déjà réinstallé Teams, rien ne change", []string{"J'ai déjà réinstallé Teams"}},
		{"Drucker schon ausprobiert, geht nicht", []string{"Drucker schon ausprobiert"}},
		{"my laptop updated itself overnight and now the dock is dead", nil},
		{"the sound broke after I updated the driver", nil},
		{"since I changed my password Outlook keeps prompting", nil},
		{"I forgot my password again", nil},
		{"The screen went black when I opened the lid", nil},
	} {
		got := Extract(tc.msg, extractNow).Steps
		if !slices.Equal(got, tc.want) {
			t.Errorf("Extract(%q).Steps = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

// TestStartedByEvent: when it started is also told by an event, in
// several languages, and a time that is not the start is not taken.
func TestStartedByEvent(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"the scanner skips pages since the firmware update", "since the firmware update"},
		{"VPN drops a lot, started right after lunch", "right after lunch"},
		// Shown under "Started:", the verb that opens the phrase is dropped.
		{"excel keeps freezing, started after yesterday's update", "after yesterday's update"},
		{"teams crashes, it began after the restart", "after the restart"},
		{"my mouse lags, happened today at 10", "today at 10"},
		{"Outlook is slow ever since I got the new mailbox", "ever since I got the new mailbox"},
		{"my dock stopped charging after the power cut on Friday", "after the power cut on Friday"},
		{"la impresora no imprime desde el lunes", "desde el lunes"},
		{"Der Drucker druckt seit gestern Nachmittag nicht", "seit gestern Nachmittag"},
		{"l'imprimante ne marche plus depuis ce matin", "depuis ce matin"},
		{"search finds nothing older than last month", ""},
		{"account locked again, 4th time this week", ""},
		{"our new analyst can't log in, she started today", ""},
	} {
		if got := Extract(tc.msg, extractNow).StartedText; got != tc.want {
			t.Errorf("Extract(%q).StartedText = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
