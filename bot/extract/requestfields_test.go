package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRequestFields: the catalog fields a request already answers are
// read from it, and nothing it does not say.
func TestRequestFields(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want map[string]string
	}{
		{"new starter on monday, Jane Doe, needs a laptop and email account", map[string]string{"person": "Jane Doe", "start_date": "monday"}},
		{"Could you give me edit rights on the Budget 2027 folder? My manager Olga Berg approved it.",
			map[string]string{"level": "edit rights", "system": "Budget 2027 folder", "approver": "Olga Berg"}},
		{"need read-only access to the Payroll share for the quarterly audit, approved by Tim Ode",
			map[string]string{"level": "read-only", "system": "Payroll share", "approver": "Tim Ode", "reason": "the quarterly audit"}},
		{"please add Maria Lopez to the Grafana team as a viewer",
			map[string]string{"system": "Grafana team", "level": "viewer"}},
		{"Tomas Berg starts on Monday the 9th as a Support Engineer, reporting to Ines Cruz. Can you set up his account?",
			map[string]string{"person": "Tomas Berg", "start_date": "Monday the 9th", "role": "Support Engineer", "manager": "Ines Cruz"}},
		{"Can I get Inkscape installed on LT-55012? I need it to edit the event posters.",
			map[string]string{"device": "LT-55012", "reason": "edit the event posters"}},
		{"I need Adobe Acrobat Pro installed on my laptop for contract work, my manager Jo approved it",
			map[string]string{"software": "Adobe Acrobat", "device": "my laptop", "reason": "contract work", "approver": "Jo"}},
		// The device field names the kind of hardware, as the intake's
		// device does, beside the person's words or asset tag.
		{"Can I get Figma installed on my new iPad?",
			map[string]string{"device": "tablet (my new iPad)", "software": "Figma"}},
		{"please install Notepad++ on my work laptop NB-0093",
			map[string]string{"device": "laptop NB-0093"}},
		{"could I get a standing desk mat? I moved to desk 4.12 in Lyon",
			map[string]string{"location": "desk 4.12 in Lyon", "reason": "I moved to desk 4.12 in Lyon"}},
		{"Pourriez-vous me donner accès en lecture au classeur Ventes ? Ma responsable, Mme Durand, est d'accord.",
			map[string]string{"level": "lecture", "system": "classeur Ventes", "approver": "Durand"}},
		{"Could you give Noor access to the Legal drive? Same permissions as Jan please. I'm her manager (Vera Holm).",
			map[string]string{"system": "Legal drive", "level": "Same permissions as Jan", "approver": "Vera Holm"}},
		{"add me to the design wiki pls, I need to edit the style guide",
			map[string]string{"system": "design wiki", "level": "edit", "reason": "edit the style guide"}},
		{"Requesting admin rights on my desktop to install the scanner driver",
			map[string]string{"level": "admin rights", "reason": "install the scanner driver", "device": "my desktop"}},
		{"my headset is frayed at the cable, can I get a new one?",
			map[string]string{"reason": "my headset is frayed at the cable"}},
		{"I would like a new mouse please", map[string]string{}},
	} {
		got := RequestFields(tc.msg, Extract(tc.msg, extractNow))
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("RequestFields(%q) (-want +got):\n%s", tc.msg, d)
		}
	}
}
