package discord

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Commands are the application commands for the desk's commands: one per
// slash command of chat.Slashes (/helpdesk for everyone, /desk for agents),
// each with its commands as subcommands, as the desk's "/helpdesk status
// 12" mentions read. The desk decides who may run each; Discord shows them
// all. Commands typed as words of a conversation ("start over") get none.
func Commands(cmds []chat.Command) []*discordgo.ApplicationCommand {
	minTicket := 1.0
	var out []*discordgo.ApplicationCommand
	for _, sl := range chat.Slashes() {
		ac := &discordgo.ApplicationCommand{Name: sl.Name, Description: truncate(sl.Help, maxDescription)}
		for _, c := range cmds {
			if c.Slash != sl.Name || c.Typed {
				continue
			}
			sub := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.Name, Description: truncate(c.Help, maxDescription)}
			for _, a := range c.Args {
				o := &discordgo.ApplicationCommandOption{Name: a.Name, Description: truncate(a.Help, maxDescription), Required: !a.Optional, Type: discordgo.ApplicationCommandOptionString}
				if a.Kind == chat.ArgTicket {
					o.Type, o.MinValue = discordgo.ApplicationCommandOptionInteger, &minTicket
				} else {
					o.MaxLength = 3000
				}
				sub.Options = append(sub.Options, o)
			}
			ac.Options = append(ac.Options, sub)
		}
		out = append(out, ac)
	}
	return out
}

// Discord's limits: subcommands under one command, and the length of a
// command's or option's description.
const (
	maxSubcommands = 25
	maxDescription = 100
)

// isCommand reports whether name is one of the application commands.
func isCommand(name string) bool {
	for _, sl := range chat.Slashes() {
		if sl.Name == name {
			return true
		}
	}
	return false
}

// commandText turns a /helpdesk or /desk invocation into the desk's text
// command ("/merge 4 into 2"), and returns the subcommand name. An unknown
// subcommand (an older registration) still reaches the desk, which
// explains.
func commandText(cmds []chat.Command, d discordgo.ApplicationCommandInteractionData) (name, text string) {
	if len(d.Options) == 0 || d.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		return "help", "/help"
	}
	sub := d.Options[0]
	c, ok := chat.Named(cmds, sub.Name)
	if !ok {
		return sub.Name, "/" + sub.Name
	}
	values := map[string]string{}
	for _, o := range sub.Options {
		values[o.Name] = optionString(o)
	}
	return c.Name, c.Line(values)
}

// optionString reads an option's value as the text the core expects.
func optionString(o *discordgo.ApplicationCommandInteractionDataOption) string {
	switch v := o.Value.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64: // JSON numbers: integers arrive as float64
		return fmt.Sprintf("%d", int64(v))
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
