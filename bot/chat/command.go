package chat

import (
	"slices"
	"strings"
)

// Command is one of the desk's commands as people type it and adapters
// offer it. The desk declares them all in one table (bot.Bot.Commands),
// from which it routes and authorizes them and writes /help; an adapter
// turns the same table into its platform's commands — /helpdesk and /desk
// with subcommands on Slack and Discord — so what the bot prints, what it
// understands and what a platform offers cannot drift apart.
type Command struct {
	Name    string   // typed "/claim" in the console
	Aliases []string // other names typed for it ("kb" for "article")
	// Slash is the platform command it is a subcommand of where a chat
	// app has one slash command per audience: SlashHelpdesk or SlashDesk.
	Slash string
	Args  []Arg
	Help  string // one line, for /help and a platform's command picker
	// Detail, when set, is said after the usage line when the command is
	// misused: the form of a long argument.
	Detail string
	// Who may run it; /help shows it in that section.
	Who Audience
	// Typed commands are words of the conversation more than commands
	// ("/start over"): they work when typed but get no platform
	// subcommand of their own.
	Typed bool
}

// The slash commands of platforms where an app's commands hang off a few
// top-level ones (Slack, Discord), each taking a command as its first word
// or subcommand: "/helpdesk status 12", "/desk claim 12". Discord allows
// 25 subcommands to a command; two keep room for more.
const (
	SlashHelpdesk = "helpdesk" // everyone's commands
	SlashDesk     = "desk"     // the help desk team's commands
)

// Slashes describes the top-level slash commands, in order, for the
// platforms' command registrations and manifests.
func Slashes() []Slash {
	return []Slash{
		{Name: SlashHelpdesk, Help: "IT help desk: report a problem, follow your tickets"},
		{Name: SlashDesk, Help: "Help desk agents: work the queue, tickets and knowledge base"},
	}
}

// Slash is one top-level slash command.
type Slash struct {
	Name string
	Help string
}

// Audience is who a command is for.
type Audience int

// The audiences, from everyone to admins only.
const (
	Everyone     Audience = iota // requesters and agents alike
	Agents                       // every help desk agent
	SeniorAgents                 // tier 2 and 3 agents, managers and admins
	Admins                       // admins only
)

// Arg is one argument of a command, in the order it is typed.
type Arg struct {
	Name  string // the option's name on platforms with typed options
	Usage string // how the usage line shows it: "N", "ID", "text"
	Help  string // the option's description
	Kind  ArgKind
	// Optional arguments may be left out; the usage line shows them in
	// brackets.
	Optional bool
	// Prefix is a word typed before the value: "into" in /merge N into M.
	Prefix string
}

// ArgKind is what an argument holds.
type ArgKind int

// The kinds of argument.
const (
	ArgText   ArgKind = iota // free text, the rest of the line when it is last
	ArgTicket                // a ticket number
	ArgWord                  // one word, such as an article ID or a tier
)

// Usage is the command's usage line the console way: "/merge N into M",
// "/pending N [text]".
func (c Command) Usage() string {
	parts := []string{"/" + c.Name}
	for _, a := range c.Args {
		u := a.Usage
		if a.Prefix != "" {
			u = a.Prefix + " " + u
		}
		if a.Optional {
			u = "[" + u + "]"
		}
		parts = append(parts, u)
	}
	return strings.Join(parts, " ")
}

// Line is the command typed the console way with values for its
// arguments, by name, as an adapter rebuilds it from a platform's options:
// "/merge 12 into 13". Empty optional values are left out.
func (c Command) Line(values map[string]string) string {
	parts := []string{"/" + c.Name}
	for _, a := range c.Args {
		v := strings.TrimSpace(values[a.Name])
		if v == "" && a.Optional {
			continue
		}
		if a.Prefix != "" {
			parts = append(parts, a.Prefix)
		}
		parts = append(parts, v)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// Named finds the command called name, or one of its aliases, in cs.
func Named(cs []Command, name string) (Command, bool) {
	for _, c := range cs {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c, true
		}
	}
	return Command{}, false
}
