package chat

import (
	"fmt"
	"slices"
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

// FormField is one input of a Form: a text input, or a select when Select
// is set. A select offers Options and submits the Value of the one picked
// ("" for none); one with no Options has nothing to offer and is not
// shown, so a form can name it once and fill it per use.
type FormField struct {
	Name        string // key in Action.Fields
	Label       string
	Placeholder string
	Multiline   bool
	Optional    bool
	MaxLen      int    // characters; 0 means DefaultMaxLen
	Value       string // prefilled text, from what the desk already knows
	Select      bool
	Options     []FormOption // at most MaxOptions
}

// FormOption is one choice of a select: Value is submitted, Label shown.
type FormOption struct {
	Value string
	Label string
}

// MaxOptions is how many choices a select offers: both Slack's
// static_select and Discord's string select allow 25.
const MaxOptions = 25

// Shown says whether an adapter shows the field: a select with nothing to
// pick is left out.
func (fd FormField) Shown() bool {
	return !fd.Select || len(fd.Options) > 0
}

// DefaultMaxLen bounds a form field that sets no MaxLen: what Slack's
// plain-text input allows.
const DefaultMaxLen = 3000

// Max is the field's length limit in characters.
func (fd FormField) Max() int {
	if fd.MaxLen <= 0 {
		return DefaultMaxLen
	}
	return fd.MaxLen
}

// Validate checks submitted values against the form's own shape — required
// fields present, none too long — and returns a plain sentence per field
// that is wrong, keyed by field name; nil when all is well. The desk adds
// its own rules on top (see bot.Bot.CheckForm).
func (f Form) Validate(values map[string]string) map[string]string {
	var errs map[string]string
	for _, fd := range f.Fields {
		v := strings.TrimSpace(values[fd.Name])
		var msg string
		switch {
		case v == "" && !fd.Optional:
			msg = "This field is required."
		case utf8.RuneCountInString(v) > fd.Max():
			msg = fmt.Sprintf("This is too long: at most %d characters.", fd.Max())
		case fd.Select && v != "" && len(fd.Options) > 0 && !slices.ContainsFunc(fd.Options, func(o FormOption) bool { return o.Value == v }):
			// Only when the options are known: an adapter reading a
			// submission back has the form's shape, not this use's list.
			msg = fmt.Sprintf("%q is not one of the choices; pick one from the list.", v)
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
