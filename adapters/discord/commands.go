package discord

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// CommandName is the one application command; the help desk's commands
// are its subcommands, as the core's "/helpdesk status 12" mentions read.
const CommandName = "helpdesk"

// option is one option of a subcommand.
type option struct {
	name, desc string
	ticket     bool // an integer ticket number, else free text
	required   bool
}

// subcommand is one /helpdesk subcommand and how it reads as the core's
// text command.
type subcommand struct {
	name, desc string
	opts       []option
	// join, when set, joins the option values the way the core parses them
	// ("12 into 13"); else they are joined with spaces.
	join func(v []string) string
}

var (
	optTicket = option{name: "ticket", desc: "Ticket number", ticket: true, required: true}
)

// subcommands mirror the core's commands (bot.usages). The core decides
// who may run each; Discord shows them all. Discord allows 25: "start
// over" and "cancel" are also plain words in a report's conversation, so
// only cancel has a subcommand.
func subcommands() []subcommand {
	text := func(desc string, required bool) option {
		return option{name: "text", desc: desc, required: required}
	}
	return []subcommand{
		{name: "help", desc: "What the help desk can do for you"},
		{name: "new", desc: "Report a new problem or ask for something", opts: []option{{name: "problem", desc: "Describe the problem in a sentence or two"}}},
		{name: "status", desc: "Show where one of your tickets stands", opts: []option{optTicket}},
		{name: "mine", desc: "List your tickets"},
		{name: "cancel", desc: "Drop the report you are writing"},
		{name: "article", desc: "Show a knowledge-base article", opts: []option{{name: "id", desc: "Article ID", required: true}}},
		{name: "reopen", desc: "Reopen a resolved ticket", opts: []option{optTicket, {name: "reason", desc: "What is still wrong"}}},
		{name: "queue", desc: "Agents: the open tickets waiting for you"},
		{name: "show", desc: "Agents: a ticket in full", opts: []option{optTicket}},
		{name: "summary", desc: "Agents: a ticket in a few lines", opts: []option{optTicket}},
		{name: "claim", desc: "Agents: take a ticket", opts: []option{optTicket}},
		{name: "reply", desc: "Agents: answer the requester (they see this)", opts: []option{optTicket, text("Reply to the requester", true)}},
		{name: "note", desc: "Agents: internal note, never sent to the requester", opts: []option{optTicket, text("Internal note", true)}},
		{name: "pending", desc: "Agents: wait on the requester (SLA paused)", opts: []option{optTicket, text("What you need from the requester", false)}},
		{name: "resolve", desc: "Agents: resolve a ticket", opts: []option{optTicket, text("What fixed it", true)}},
		{name: "escalate", desc: "Agents: hand a ticket to a higher tier or a team", opts: []option{optTicket,
			{name: "to", desc: "Tier (2, 3) or team name", required: true},
			{name: "note", desc: "Handoff: description | steps: step -> result | priority | system", required: true}}},
		{name: "deescalate", desc: "Agents: send a ticket back to its tier-1 owner", opts: []option{optTicket, {name: "note", desc: "Note for the owner", required: true}}},
		{name: "merge", desc: "Agents: merge a duplicate into another ticket", opts: []option{optTicket, {name: "into", desc: "The ticket to keep", ticket: true, required: true}},
			join: func(v []string) string { return strings.Join(v[:1], "") + " into " + strings.Join(v[1:], "") }},
		{name: "major", desc: "Agents: declare a major incident", opts: []option{optTicket, {name: "service", desc: "Affected service"}}},
		{name: "update", desc: "Agents: status update to everyone affected by a major incident", opts: []option{optTicket, text("Update", true)}},
		{name: "kbdraft", desc: "Agents: draft a KB article from a resolved ticket", opts: []option{optTicket}},
		{name: "kbedit", desc: "Agents: show or replace a KB draft's markdown", opts: []option{{name: "id", desc: "Article ID", required: true}, text("The whole new markdown", false)}},
		{name: "kbpublish", desc: "Admins: publish a reviewed KB draft into search", opts: []option{{name: "id", desc: "Article ID", required: true}}},
		{name: "reload", desc: "Admins: re-read the config file"},
		{name: "outbox", desc: "Admins: messages the bot gave up delivering"},
	}
}

// Commands is the /helpdesk application command with its subcommands, as
// registered at start-up.
func Commands() []*discordgo.ApplicationCommand {
	minTicket := 1.0
	var opts []*discordgo.ApplicationCommandOption
	for _, sc := range subcommands() {
		o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: sc.name, Description: sc.desc}
		for _, op := range sc.opts {
			d := &discordgo.ApplicationCommandOption{Name: op.name, Description: op.desc, Required: op.required, Type: discordgo.ApplicationCommandOptionString}
			if op.ticket {
				d.Type, d.MinValue = discordgo.ApplicationCommandOptionInteger, &minTicket
			} else {
				d.MaxLength = 3000
			}
			o.Options = append(o.Options, d)
		}
		opts = append(opts, o)
	}
	return []*discordgo.ApplicationCommand{{
		Name:        CommandName,
		Description: "IT help desk: report a problem, follow your tickets, work the queue",
		Options:     opts,
	}}
}

// commandText turns a /helpdesk invocation into the core's text command
// ("/status 12"), and returns the subcommand name. An unknown subcommand
// (an older registration) still reaches the core, which explains.
func commandText(d discordgo.ApplicationCommandInteractionData) (name, text string) {
	if len(d.Options) == 0 || d.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		return "help", "/help"
	}
	sub := d.Options[0]
	values := map[string]string{}
	for _, o := range sub.Options {
		values[o.Name] = optionString(o)
	}
	var sc *subcommand
	for _, c := range subcommands() {
		if c.name == sub.Name {
			sc = &c
			break
		}
	}
	if sc == nil {
		return sub.Name, "/" + sub.Name
	}
	var v []string
	for _, o := range sc.opts {
		if s := values[o.name]; s != "" || o.required {
			v = append(v, s)
		}
	}
	args := strings.Join(v, " ")
	if sc.join != nil {
		args = sc.join(v)
	}
	return sc.name, strings.TrimSpace("/" + sc.name + " " + args)
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
