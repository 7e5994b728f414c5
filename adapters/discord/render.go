package discord

import (
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Discord's limits, in characters.
const (
	maxContent     = 2000
	maxEmbedTitle  = 256
	maxEmbedDesc   = 4096
	maxCustomID    = 100
	maxButtonLabel = 80
	maxModalTitle  = 45
	maxInputLabel  = 45
	maxPlaceholder = 100
)

// noMentions is set on every message the bot sends: the text is the
// users' own words and the bot's, and must never ping @everyone, @here, a
// role or a user through the bot.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// split cuts text into pieces of at most max characters, at a line break
// or a space when there is one in the second half of a piece.
func split(text string, max int) []string {
	var out []string
	for utf8.RuneCountInString(text) > max {
		cut := byteIndexOfRune(text, max)
		piece := text[:cut]
		if i := strings.LastIndex(piece, "\n"); i > cut/2 {
			cut = i + 1
		} else if i := strings.LastIndex(piece, " "); i > cut/2 {
			cut = i + 1
		}
		out = append(out, strings.TrimRight(text[:cut], " \n"))
		text = strings.TrimLeft(text[cut:], " \n")
	}
	if text = strings.TrimRight(text, " \n"); text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// byteIndexOfRune is the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for j := range s {
		if i == n {
			return j
		}
		i++
	}
	return len(s)
}

// truncate shortens s to max characters, ending it with "…" when cut.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return s[:byteIndexOfRune(s, max-1)] + "…"
}

// customID encodes a button as "action:value", the form the adapter reads
// back from the interaction.
func customID(action, value string) string { return truncate(action+":"+value, maxCustomID) }

// parseCustomID reads "action:value".
func parseCustomID(id string) (action, value string) {
	action, value, _ = strings.Cut(id, ":")
	return action, value
}

// buttonStyle gives the core's actions Discord's usual colours.
func buttonStyle(action string) discordgo.ButtonStyle {
	switch action {
	case chat.ActionKBFixed, chat.ActionResolve:
		return discordgo.SuccessButton
	case chat.ActionClaim:
		return discordgo.PrimaryButton
	}
	return discordgo.SecondaryButton
}

// components renders buttons as action rows of up to five; Discord allows
// five rows, so more than 25 buttons are dropped.
func components(buttons []tickets.Button) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	for i, b := range buttons {
		if i >= 25 {
			break
		}
		row = append(row, discordgo.Button{Label: truncate(b.Label, maxButtonLabel), Style: buttonStyle(b.Action), CustomID: customID(b.Action, b.Value)})
		if len(row) == 5 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

// embed renders a card: the first line is the title, the rest the
// description.
func embed(text string) *discordgo.MessageEmbed {
	title, body, _ := strings.Cut(text, "\n")
	return &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       truncate(strings.TrimSpace(title), maxEmbedTitle),
		Description: truncate(strings.TrimSpace(body), maxEmbedDesc),
		Color:       cardColor(title),
	}
}

// cardColor marks a card by the priority its headline names.
func cardColor(title string) int {
	switch {
	case strings.Contains(title, "P1"):
		return 0xE74C3C
	case strings.Contains(title, "P2"):
		return 0xE67E22
	case strings.Contains(title, "P3"):
		return 0xF1C40F
	}
	return 0x95A5A6
}

// messages renders one text with its buttons as the messages to post:
// the text split to Discord's limit, the buttons on the last piece.
func messages(text string, buttons []tickets.Button) []*discordgo.MessageSend {
	pieces := split(text, maxContent)
	out := make([]*discordgo.MessageSend, len(pieces))
	for i, p := range pieces {
		out[i] = &discordgo.MessageSend{Content: p, AllowedMentions: noMentions()}
	}
	if len(buttons) > 0 {
		out[len(out)-1].Components = components(buttons)
	}
	return out
}
