package chat

import "testing"

// A select is checked against its own options when they are known, and a
// select with nothing to offer is not shown.
func TestFormSelect(t *testing.T) {
	pick := FormField{Name: "macro", Select: true, Optional: true, Options: []FormOption{{Value: "thanks", Label: "thanks"}}}
	f := Form{Fields: []FormField{pick}}
	for _, tc := range []struct {
		name, value, want string
	}{
		{"none picked", "", ""},
		{"listed", "thanks", ""},
		{"not listed", "forged", `"forged" is not one of the choices; pick one from the list.`},
	} {
		if got := f.Validate(map[string]string{"macro": tc.value})["macro"]; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if !pick.Shown() || (FormField{Select: true}).Shown() || !(FormField{Name: "text"}).Shown() {
		t.Errorf("Shown: a select with options, an empty select, a text field: %v %v %v",
			pick.Shown(), (FormField{Select: true}).Shown(), (FormField{Name: "text"}).Shown())
	}
	required := Form{Fields: []FormField{{Name: "macro", Select: true}}}
	if got := required.Validate(nil)["macro"]; got != "This field is required." {
		t.Errorf("a required select left empty: %q", got)
	}
}
