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
		{"the projector won't switch on, tried a different remote at the front desk", []string{"tried a different remote at the front desk"}},
		{"Excel keeps freezing. I already tried disabling all add-ins.", []string{"tried disabling all add-ins"}},
		{"badge reader beeps red. checked the battery, it's new", []string{"checked the battery"}},
		{"Outlook is stuck syncing, rebuilt the profile but no change", []string{"rebuilt the profile"}},
		{"Disabling the firewall didn't help, the share still times out", []string{"Disabling the firewall"}},
		{"Tried Firefox and Safari, both show the same page", []string{"Tried Firefox and Safari"}},
		{"switched it off and on again, same", []string{"rebooted"}},
		{"Tried 'open in desktop app' which works", []string{"Tried 'open in desktop app'"}},
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
