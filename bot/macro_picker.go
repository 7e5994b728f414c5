package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The macro picker: the Reply, Pending and Resolve forms carry a select
// of the macros beside their text field. A submission with a macro picked
// runs as "/reply N :NAME text" would, so the placeholders are filled and
// the use counted in one place (expandMacro).

// macroField is the picker as the forms declare it: without options, so
// it is not shown until withMacros fills it for one use of the form.
var macroField = chat.FormField{Name: "macro", Label: "Or a macro (sent first, your text after it)", Placeholder: "None: send only your text", Select: true, Optional: true}

// macroOptionLabel bounds an option's label: Slack shows 75 characters.
const macroOptionLabel = 75

// hasMacroField says whether f is a form with the macro picker.
func hasMacroField(f chat.Form) bool {
	return slices.ContainsFunc(f.Fields, func(fd chat.FormField) bool { return fd.Name == macroField.Name })
}

// withMacros fills the form's picker with the macros, most used first, at
// most chat.MaxOptions of them; with any to pick, the text field may be
// left empty.
func (b *Bot) withMacros(ctx context.Context, f chat.Form) (chat.Form, error) {
	opts, err := b.macroOptions(ctx)
	if err != nil || len(opts) == 0 {
		return f, err
	}
	f.Fields = slices.Clone(f.Fields)
	for i := range f.Fields {
		switch f.Fields[i].Name {
		case "text":
			f.Fields[i].Optional = true
		case macroField.Name:
			f.Fields[i].Options = opts
		}
	}
	return f, nil
}

// macroOptions are the picker's choices: every macro, config file's and
// chat's, most used first, then by name, each labelled with its name and
// the start of its text.
func (b *Bot) macroOptions(ctx context.Context) ([]chat.FormOption, error) {
	rows, err := b.macroRows(ctx)
	if err != nil {
		return nil, err
	}
	// A name in both places is the config file's (first in rows), as
	// expandMacro reads it.
	seen := map[string]bool{}
	rows = slices.DeleteFunc(rows, func(r macroRow) bool {
		dup := seen[r.name]
		seen[r.name] = true
		return dup
	})
	slices.SortStableFunc(rows, func(x, y macroRow) int { return cmp.Or(y.uses-x.uses, strings.Compare(x.name, y.name)) })
	var opts []chat.FormOption
	for _, r := range rows[:min(len(rows), chat.MaxOptions)] {
		first, _, _ := strings.Cut(r.text, "\n")
		label := r.name + " — " + first
		if rs := []rune(label); len(rs) > macroOptionLabel {
			label = string(rs[:macroOptionLabel-1]) + "…"
		}
		opts = append(opts, chat.FormOption{Value: r.name, Label: label})
	}
	return opts, nil
}

// checkMacroForm checks a form with the picker: the text may be left
// empty when a macro is picked, and not both.
func checkMacroForm(f chat.Form, values map[string]string) map[string]string {
	picked := strings.TrimSpace(values[macroField.Name]) != ""
	f.Fields = slices.Clone(f.Fields)
	for i := range f.Fields {
		if f.Fields[i].Name == "text" {
			f.Fields[i].Optional = true
		}
	}
	errs := f.Validate(values)
	if !picked && strings.TrimSpace(values["text"]) == "" {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["text"] = "Write the text here, or pick a macro."
	}
	return errs
}

// formArgs are a form submission's command arguments: the ticket from the
// button, then ":NAME" for a picked macro, then the text typed.
func formArgs(a chat.Action) (string, error) {
	args := a.Value
	if m := strings.TrimSpace(a.Fields[macroField.Name]); m != "" {
		if a.Name != chat.ActionReply && a.Name != chat.ActionPending && a.Name != chat.ActionResolve {
			return "", tickets.Errorf(tickets.EINVALID, "The %s form has no macros; type the text instead.", a.Name)
		}
		if !macroName.MatchString(m) {
			return "", tickets.Errorf(tickets.EINVALID, "%q is not a macro name. /macro list shows them.", m)
		}
		args += " :" + m
	}
	return strings.TrimSpace(args + " " + a.Fields["text"]), nil
}
