package discord

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// modalPrefix marks a modal's custom_id: "modal:ACTION:VALUE".
const modalPrefix = "modal:"

// modal renders a form as a Discord modal. Discord caps titles and labels
// at 45 characters; a label cut short is given whole as the placeholder.
func modal(f chat.Form, value string) *discordgo.InteractionResponse {
	var rows []discordgo.MessageComponent
	for n, fd := range f.Fields {
		if n == 5 { // Discord's limit of inputs per modal
			break
		}
		style := discordgo.TextInputShort
		if fd.Multiline {
			style = discordgo.TextInputParagraph
		}
		ph := fd.Placeholder
		if ph == "" && len([]rune(fd.Label)) > maxInputLabel {
			ph = fd.Label
		}
		maxLen := fd.MaxLen
		if maxLen <= 0 {
			maxLen = 3000
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: fd.Name, Label: truncate(fd.Label, maxInputLabel), Style: style,
			Placeholder: truncate(ph, maxPlaceholder), Required: !fd.Optional, MaxLength: min(maxLen, 4000),
			Value: truncate(fd.Value, min(maxLen, 4000)),
		}}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: truncate(modalPrefix+f.Action+":"+value, maxCustomID), Title: truncate(f.Title, maxModalTitle), Components: rows,
	}}
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
