package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Form is a set of fields an adapter shows as a modal (Slack view, Discord
// modal) when a button needs more than a click, such as a resolve with its
// resolution text. The submission comes back as an Action with Name set to
// Form.Action and the values in Action.Fields.
type Form struct {
	Action string // the Action name the submission runs
	Title  string // short: Slack allows 24 characters, Discord 45
	Submit string // label of the submit button
	Fields []FormField
}

// FormField is one text input of a Form.
type FormField struct {
	Name        string // key in Action.Fields
	Label       string
	Placeholder string
	Multiline   bool
	Optional    bool
	MaxLen      int // characters; 0 means 3000
}

// forms are the modals behind agent buttons. Claim needs no form.
var forms = map[string]Form{
	ActionReply: {Action: ActionReply, Title: "Reply to requester", Submit: "Send reply", Fields: []FormField{
		{Name: "text", Label: "Reply (the requester sees this)", Multiline: true},
	}},
	ActionNote: {Action: ActionNote, Title: "Internal note", Submit: "Add note", Fields: []FormField{
		{Name: "text", Label: "Note (agents only, never sent to the requester)", Multiline: true},
	}},
	ActionPending: {Action: ActionPending, Title: "Wait on requester", Submit: "Set pending", Fields: []FormField{
		{Name: "text", Label: "What do you need from the requester?", Placeholder: "Sent to the requester; leave empty to only set the status", Multiline: true, Optional: true},
	}},
	ActionResolve: {Action: ActionResolve, Title: "Resolve ticket", Submit: "Resolve", Fields: []FormField{
		{Name: "text", Label: "Resolution (what fixed it)", Placeholder: "Sent to the requester and kept for the knowledge base", Multiline: true},
	}},
}

// FormFor returns the form a button with action opens, if it needs one.
func FormFor(action string) (Form, bool) {
	f, ok := forms[action]
	return f, ok
}

// Validate checks submitted values and returns a plain sentence per field
// that is wrong, keyed by field name; nil when all is well.
func (f Form) Validate(values map[string]string) map[string]string {
	var errs map[string]string
	for _, fd := range f.Fields {
		v := strings.TrimSpace(values[fd.Name])
		max := fd.MaxLen
		if max <= 0 {
			max = 3000
		}
		var msg string
		switch {
		case v == "" && !fd.Optional:
			msg = "This field is required."
		case utf8.RuneCountInString(v) > max:
			msg = fmt.Sprintf("This is too long: at most %d characters.", max)
		}
		if msg != "" {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[fd.Name] = msg
		}
	}
	return errs
}
