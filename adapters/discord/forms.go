package discord

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// modalPrefix marks a modal's custom_id: "modal:ACTION:VALUE".
const modalPrefix = "modal:"

// modal renders a form as a Discord modal, each field a text input in a
// Label (the layout Discord documents for forms; text inputs in action
// rows are deprecated). Discord caps titles and labels at 45 characters
// and descriptions at 100; a label cut short is given whole as the
// description.
func modal(f chat.Form, value string) *discordgo.InteractionResponse {
	var rows []discordgo.MessageComponent
	for _, fd := range f.Fields {
		if len(rows) == 5 { // Discord's limit of inputs per modal
			break
		}
		if !fd.Shown() {
			continue
		}
		desc := ""
		if len([]rune(fd.Label)) > maxInputLabel {
			desc = fd.Label
		}
		if fd.Select {
			rows = append(rows, label{Label: truncate(fd.Label, maxInputLabel), Description: truncate(desc, maxDescription), Select: selectOf(fd)})
			continue
		}
		style := discordgo.TextInputShort
		if fd.Multiline {
			style = discordgo.TextInputParagraph
		}
		maxLen := fd.MaxLen
		if maxLen <= 0 {
			maxLen = 3000
		}
		rows = append(rows, label{
			Label: truncate(fd.Label, maxInputLabel), Description: truncate(desc, maxDescription),
			Input: textInput{
				CustomID: fd.Name, Style: style, Placeholder: truncate(fd.Placeholder, maxPlaceholder),
				Required: !fd.Optional, MaxLength: min(maxLen, 4000), Value: truncate(fd.Value, min(maxLen, 4000)),
			},
		})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: truncate(modalPrefix+f.Action+":"+value, maxCustomID), Title: truncate(f.Title, maxModalTitle), Components: rows,
	}}
}

// label is Discord's Label component (type 18) around a text input, or
// around a string select when Select is set; discordgo v0.29 has no type
// for it.
type label struct {
	Label       string
	Description string
	Input       textInput
	Select      *stringSelect
}

// stringSelect is a string select (type 3) as a Label's child in a modal:
// discordgo's SelectMenu has no "required", which an optional pick needs.
type stringSelect struct {
	CustomID    string         `json:"custom_id"`
	Placeholder string         `json:"placeholder,omitempty"`
	Options     []selectOption `json:"options"`
	Required    bool           `json:"required"`
	MinValues   int            `json:"min_values"`
	MaxValues   int            `json:"max_values"`
}

// selectOption is one choice of a string select.
type selectOption struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// selectOf is a select field as a string select: one pick at most, none
// when the field is optional. Discord caps options at 25 and their labels
// and values at 100 characters.
func selectOf(fd chat.FormField) *stringSelect {
	s := &stringSelect{CustomID: fd.Name, Placeholder: truncate(fd.Placeholder, maxSelectPlaceholder), Required: !fd.Optional, MaxValues: 1}
	if s.Required {
		s.MinValues = 1
	}
	for _, o := range fd.Options[:min(len(fd.Options), chat.MaxOptions)] {
		s.Options = append(s.Options, selectOption{Label: truncate(o.Label, maxOptionText), Value: truncate(o.Value, maxOptionText)})
	}
	return s
}

// Discord's limits on a string select: its placeholder, and each
// option's label and value.
const (
	maxSelectPlaceholder = 150
	maxOptionText        = 100
)

// textInput is a text input as a Label's child: discordgo's TextInput
// always sends its own label, which Discord deprecates inside a Label.
type textInput struct {
	CustomID    string                   `json:"custom_id"`
	Style       discordgo.TextInputStyle `json:"style"`
	Placeholder string                   `json:"placeholder,omitempty"`
	Value       string                   `json:"value,omitempty"`
	Required    bool                     `json:"required"`
	MaxLength   int                      `json:"max_length,omitempty"`
}

// Type is the Label's component type.
func (label) Type() discordgo.ComponentType { return componentLabel }

// MarshalJSON writes the Label as Discord documents it.
func (l label) MarshalJSON() ([]byte, error) {
	type input struct {
		Type discordgo.ComponentType `json:"type"`
		textInput
	}
	type pick struct {
		Type discordgo.ComponentType `json:"type"`
		*stringSelect
	}
	var child any = input{discordgo.TextInputComponent, l.Input}
	if l.Select != nil {
		child = pick{discordgo.SelectMenuComponent, l.Select}
	}
	return json.Marshal(struct {
		Type        discordgo.ComponentType `json:"type"`
		Label       string                  `json:"label"`
		Description string                  `json:"description,omitempty"`
		Component   any                     `json:"component"`
	}{componentLabel, l.Label, l.Description, child})
}

// parseModalID reads a modal's custom_id back into its action and value.
func parseModalID(id string) (action, value string, ok bool) {
	rest, found := strings.CutPrefix(id, modalPrefix)
	if !found {
		return "", "", false
	}
	action, value = parseCustomID(rest)
	return action, value, true
}

// modalValues collects the text inputs of a submitted modal by field name.
func modalValues(d discordgo.ModalSubmitInteractionData) map[string]string {
	out := map[string]string{}
	var walk func(cs []discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.TextInput:
				out[c.CustomID] = c.Value
			}
		}
	}
	walk(d.Components)
	return out
}

// formErrors lists each wrong field with what is wrong, in form order.
func formErrors(f chat.Form, errs map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s was not sent; please fix:", f.Title)
	seen := map[string]bool{}
	for _, fd := range f.Fields {
		if msg, ok := errs[fd.Name]; ok {
			fmt.Fprintf(&b, "\n• %s: %s", fd.Label, msg)
			seen[fd.Name] = true
		}
	}
	var rest []string
	for name := range errs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		fmt.Fprintf(&b, "\n• %s: %s", name, errs[name])
	}
	return b.String()
}
