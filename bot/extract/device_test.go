package extract

import "testing"

// TestDeviceAndApp: hardware and the app are two fields; a thing that
// works is a workaround, not the device; an app's desktop version and
// macOS's dock are no hardware.
func TestDeviceAndApp(t *testing.T) {
	for _, tc := range []struct{ msg, dev, app string }{
		{"Outlook on my laptop won't open attachments", "laptop", "Outlook"},
		{"the Teams desktop app freezes on startup", "", "Teams"},
		{"Figma keeps bouncing in the dock and quits", "", "Figma"},
		{"my tablet can't join the guest wifi, my phone works fine on it", "tablet", "Wi-Fi"},
		{"Confluence pages time out, Jira is fine", "", "Confluence"},
		{"the projector in the boardroom shows no signal", "meeting-room", ""},
		{"the Kyocera by the kitchen jams on every job", "printer", ""},
		{"esx-07 has a red disk light", "server", ""},
		{"SAP GUI crashes when I post an invoice", "", "SAP"},
		{"Power BI refresh fails on the sales dashboard", "", "Power BI"},
	} {
		ex := Extract(tc.msg, extractNow)
		if ex.Device != tc.dev || ex.App != tc.app {
			t.Errorf("Extract(%q): device %q, app %q; want %q, %q", tc.msg, ex.Device, ex.App, tc.dev, tc.app)
		}
	}
}
