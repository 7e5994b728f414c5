package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// command is one of the desk's commands: what people and platforms see of
// it (chat.Command), which tickets it may touch for whom, and what runs it.
type command struct {
	chat.Command
	tickets ticketRule
	run     func(b *Bot, ctx context.Context, r request) ([]chat.Reply, error)
}

// request is one command to run: who asks, where, and with what.
type request struct {
	m    chat.Message
	a    actor
	cmd  *command
	args string            // what follows the command's name
	form map[string]string // the submitted form, when a button's form runs it
}

// usage is the command's usage line, with its detail when it has one.
func (c *command) usage() string {
	if c.Detail != "" {
		return c.Usage() + " — " + c.Detail
	}
	return c.Usage()
}

// The arguments commands share.
var (
	argTicket = chat.Arg{Name: "ticket", Usage: "N", Help: "Ticket number", Kind: chat.ArgTicket}
	argID     = chat.Arg{Name: "id", Usage: "ID", Help: "Article ID", Kind: chat.ArgWord}
	// argTicketOptional is a ticket number a command can do without.
	argTicketOptional = chat.Arg{Name: "ticket", Usage: "N", Help: "Ticket number", Kind: chat.ArgTicket, Optional: true}
)

// text is a free-text argument.
func text(name, help string, optional bool) chat.Arg {
	return chat.Arg{Name: name, Usage: name, Help: help, Optional: optional}
}

// commandTable is every command of the desk, in the order /help lists
// them. Routing, authorization, /help, the platforms' commands (through
// Commands) and docs/authorization.md's test all read it; nothing else
// lists commands.
func commandTable() []command {
	everyone := func(name, help string, args ...chat.Arg) chat.Command {
		return chat.Command{Name: name, Slash: chat.SlashHelpdesk, Who: chat.Everyone, Help: help, Args: args}
	}
	agents := func(name, help string, args ...chat.Arg) chat.Command {
		return chat.Command{Name: name, Slash: chat.SlashDesk, Who: chat.Agents, Help: help, Args: args}
	}
	seniors := func(c chat.Command) chat.Command { c.Who = chat.SeniorAgents; return c }
	admins := func(c chat.Command) chat.Command { c.Who = chat.Admins; return c }
	typed := func(c chat.Command) chat.Command { c.Typed = true; return c }
	withDetail := func(c chat.Command, detail string) chat.Command { c.Detail = detail; return c }
	alias := func(c chat.Command, names ...string) chat.Command { c.Aliases = names; return c }
	optional := func(a chat.Arg) chat.Arg { a.Optional = true; return a }
	return []command{
		{Command: everyone("help", "this message"), run: (*Bot).help},
		{Command: everyone("new", "start a new report (drops one in progress)", text("problem", "Describe the problem in a sentence or two", true)), run: (*Bot).newReport},
		{Command: everyone("mine", "your open tickets"), run: (*Bot).mine},
		{Command: everyone("status", "a ticket of yours and its history; without a number, your open tickets", argTicketOptional), tickets: ownOrTier, run: (*Bot).status},
		{Command: everyone("transcript", "a ticket's whole conversation, to keep", argTicket), tickets: ownOrTier, run: (*Bot).transcript},
		{Command: alias(everyone("article", "read a knowledge-base article", argID), "kb"), run: (*Bot).article},
		{Command: everyone("reopen", "reopen a resolved ticket", argTicket, text("reason", "What is still wrong", true)), tickets: ownOrTier, run: (*Bot).reopen},
		{Command: everyone("cancel", "drop the report you are writing"), run: (*Bot).wordOfIntake},
		{Command: typed(everyone("start", "start your report over", chat.Arg{Name: "over", Usage: "over", Kind: chat.ArgWord, Optional: true})), run: (*Bot).wordOfIntake},

		{Command: agents("queue", "open tickets, the most at risk of missing their SLA first"), run: (*Bot).queue},
		{Command: agents("show", "a ticket with its full history, internal notes included", argTicket,
			optional(chat.Arg{Name: "full", Usage: "full", Help: "Unfold long texts (type full)", Kind: chat.ArgWord})), tickets: tier, run: (*Bot).show},
		{Command: agents("summary", "a ticket in a few lines (a model's draft when one is configured)", argTicket), tickets: tier, run: (*Bot).summary},
		{Command: agents(chat.ActionClaim, "take the ticket", argTicket), tickets: atTier, run: (*Bot).agentCommand},
		{Command: agents(chat.ActionReply, "message the requester (they see it)", argTicket, text("text", "Reply to the requester", false)), tickets: tier, run: (*Bot).agentCommand},
		{Command: agents(chat.ActionNote, "internal note (the requester never sees it)", argTicket, text("text", "Internal note", false)), tickets: tier, run: (*Bot).agentCommand},
		{Command: agents(chat.ActionPending, "wait on the requester: ask them what you need", argTicket, text("question", "What you need from the requester", false)), tickets: tier, run: (*Bot).agentCommand},
		{Command: agents(chat.ActionResolve, "resolve, with what fixed it", argTicket, text("text", "What fixed it", false)), tickets: tier, run: (*Bot).agentCommand},
		{Command: withDetail(agents(chat.ActionEscalate, "to tier 2, 3 or a team, with the handoff note", argTicket,
			chat.Arg{Name: "to", Usage: "TIER", Help: "Tier (2, 3) or team name", Kind: chat.ArgWord},
			chat.Arg{Name: "note", Usage: "note", Help: "Handoff: description | steps: step -> result | priority | system"}),
			"the handoff note is description: … | steps: step -> result; … | priority: P2 | system: device: …; versions: …; error: …"), tickets: tier, run: (*Bot).escalateCommand},
		{Command: agents("title", "give a ticket a title that names the problem", argTicket, text("text", "The new title, one line", false)), tickets: tier, run: (*Bot).retitle},
		{Command: agents("deescalate", "send an escalated ticket back to its tier 1 owner", argTicket, chat.Arg{Name: "note", Usage: "note", Help: "Note for the owner"}), tickets: atTier, run: (*Bot).deescalate},
		{Command: agents("merge", "close duplicate N into M; N's requester follows M", argTicket,
			chat.Arg{Name: "into", Usage: "M", Help: "The ticket to keep", Kind: chat.ArgTicket, Prefix: "into"}), tickets: tier, run: (*Bot).merge},
		{Command: seniors(agents("major", "declare a major incident (tier 2+)", argTicket, optional(chat.Arg{Name: "service", Usage: "service", Help: "Affected service", Kind: chat.ArgText}))), tickets: tier, run: (*Bot).declareMajor},
		{Command: seniors(agents("update", "tell everyone affected by a major incident", argTicket, text("text", "Status update", false))), tickets: tier, run: (*Bot).majorUpdate},
		{Command: withDetail(agents("macro", "canned replies: list them, add NAME text, rm NAME; /reply N :NAME sends one",
			optional(chat.Arg{Name: "action", Usage: "list|add|rm", Help: "list, add or rm", Kind: chat.ArgWord}),
			optional(chat.Arg{Name: "name", Usage: "NAME", Help: "Macro name, like vpn-reset", Kind: chat.ArgWord}),
			text("text", "The reply; {requester}, {ticket} and {agent} are filled in", true)),
			"placeholders: {requester} (the requester's name), {ticket} (#12), {agent} (your name)"), run: (*Bot).macroCommand},
		{Command: agents("stats", "KPIs of a period (7d, 30d): the desk's for managers, your own for agents", optional(chat.Arg{Name: "period", Usage: "period", Help: "Period up to now: 24h, 7d, 30d", Kind: chat.ArgWord})), run: (*Bot).kpiStats},
		{Command: agents("kbdraft", "draft a KB article from a resolved ticket", argTicket), tickets: tier, run: (*Bot).kbDraft},
		{Command: withDetail(agents("kbedit", "show a KB draft, or replace it with new markdown", argID, text("markdown", "The whole new markdown", true)),
			"the whole article (front matter and body) goes on the lines after the ID"), run: (*Bot).kbEdit},

		{Command: admins(agents("kbpublish", "publish a reviewed draft into search", argID)), run: (*Bot).kbPublish},
		{Command: admins(agents("link", "two accounts of one person (Slack and Discord, say): one requester",
			chat.Arg{Name: "account", Usage: "KEY", Help: "An account, like slack:U0123ABC", Kind: chat.ArgWord},
			chat.Arg{Name: "other", Usage: "KEY", Help: "Their other account, like discord:1234", Kind: chat.ArgWord})), run: (*Bot).link},
		{Command: admins(agents("unlink", "an account is its own person again", chat.Arg{Name: "account", Usage: "KEY", Help: "The account, like discord:1234", Kind: chat.ArgWord})), run: (*Bot).unlink},
		{Command: admins(agents("reload", "re-read the config file")), run: (*Bot).reloadConfig},
		{Command: admins(agents("outbox", "messages the bot gave up delivering")), run: (*Bot).outbox},
	}
}

// Commands are the desk's commands as adapters offer them, in /help's
// order.
func (b *Bot) Commands() []chat.Command {
	out := make([]chat.Command, len(b.cmds))
	for i, c := range b.cmds {
		out[i] = c.Command
	}
	return out
}

// cmd is the command called name or one of its aliases; nil for none.
func (b *Bot) cmd(name string) *command {
	for i := range b.cmds {
		if c := &b.cmds[i]; c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

// invocation is a parsed "/name args" message.
type invocation struct {
	Name string
	Args string
}

// parseCommand reads "/claim 12", "/helpdesk claim 12", "/desk claim 12"
// or "!claim 12".
func parseCommand(text string) (invocation, bool) {
	if !strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "!") {
		return invocation{}, false
	}
	fields := strings.Fields(text[1:])
	if len(fields) == 0 {
		return invocation{Name: "help"}, true
	}
	name := strings.ToLower(fields[0])
	rest := strings.TrimSpace(strings.TrimPrefix(text[1:], fields[0]))
	if name == chat.SlashHelpdesk || name == chat.SlashDesk || name == "hd" {
		if len(fields) == 1 {
			return invocation{Name: "help"}, true
		}
		name = strings.ToLower(fields[1])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, fields[1]))
	}
	return invocation{Name: name, Args: rest}, true
}

// command runs a typed command, or a button's action, for m's sender.
func (b *Bot) command(ctx context.Context, m chat.Message, in invocation, form map[string]string) ([]chat.Reply, error) {
	a := b.conf().actorOf(m.User)
	c := b.cmd(in.Name)
	if c == nil {
		return []chat.Reply{{Text: b.unknownCommand(a, in.Name), Ephemeral: true}}, nil
	}
	if !a.allowed(c) {
		return nil, a.refuse(c, nil)
	}
	if extra := extraWords(c.Command, in.Args); extra != "" {
		// "/claim 1 2" claimed #1 and said nothing of the 2.
		return nil, tickets.Errorf(tickets.EINVALID, "I don't know what to do with %q after /%s: it takes only what its usage shows. Usage: %s", extra, c.Name, c.usage())
	}
	if c.tickets == ownOrTier || c.Name == "mine" {
		also, err := b.otherKeys(ctx, b.store, m.User)
		if err != nil {
			return nil, err
		}
		a.Also = also
	}
	replies, err := c.run(b, ctx, request{m: m, a: a, cmd: c, args: in.Args, form: form})
	if c.Who != chat.Everyone {
		// Agents' confirmations are for them alone: on Slack and Discord
		// they stay out of the triage channel's history.
		for i := range replies {
			replies[i].Ephemeral = true
		}
	}
	return replies, err
}

// ticketArg reads the ticket number at the start of args ("12", "#12") and
// returns the rest.
func ticketArg(args, usage string) (int64, string, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return 0, "", tickets.Errorf(tickets.EINVALID, "Which ticket? Usage: %s", usage)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fields[0], "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, "", tickets.Errorf(tickets.EINVALID, "%q is not a ticket number. Usage: %s", fields[0], usage)
	}
	return id, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), fields[0])), nil
}

// extraWords returns the words of args past those c's arguments take, ""
// when there are none or c takes free text (which takes the rest of the
// line). A command declared without arguments is left to read its line
// as it likes ("/cancel this").
func extraWords(c chat.Command, args string) string {
	if len(c.Args) == 0 {
		return ""
	}
	words := 0
	for _, a := range c.Args {
		if a.Kind == chat.ArgText {
			return ""
		}
		words += 1 + len(strings.Fields(a.Prefix))
	}
	fields := strings.Fields(args)
	if len(fields) <= words {
		return ""
	}
	return strings.Join(fields[words:], " ")
}

// help lists the commands the sender may use, by audience.
func (b *Bot) help(_ context.Context, r request) ([]chat.Reply, error) {
	type line struct{ Usage, Help string }
	sections := map[chat.Audience][]line{}
	width := 0 // of the usage column
	for _, c := range b.cmds {
		if c.Typed || !r.a.allowed(&c) {
			continue
		}
		width = max(width, utf8.RuneCountInString(c.Usage()))
		who := c.Who
		if who == chat.SeniorAgents {
			who = chat.Agents
		}
		sections[who] = append(sections[who], line{Usage: c.Usage(), Help: c.Help})
	}
	role := ""
	if r.a.IsAgent {
		role = fmt.Sprintf("you are %s, %s", r.a.Agent.Name, r.a.role())
	}
	return []chat.Reply{{Text: b.render("help", map[string]any{
		"Agent": role, "Everyone": sections[chat.Everyone], "Agents": sections[chat.Agents], "Admins": sections[chat.Admins], "Width": width,
	}), Ephemeral: true}}, nil
}

// newReport drops the report in progress and starts afresh, with the
// problem when one follows the command.
func (b *Bot) newReport(ctx context.Context, r request) ([]chat.Reply, error) {
	key := conversationKey(r.m.Place(), r.m.User)
	replies, err := b.update(ctx, r.m, func(tx tickets.Tx) ([]chat.Reply, error) {
		fresh := []chat.Reply{{Text: "OK, a fresh report. What's going wrong?"}}
		s, err := loadIntake(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		if len(s.Later) == 0 {
			return fresh, tx.DeleteConversation(ctx, key)
		}
		// The problems kept aside still come after this report.
		ns := newIntake()
		ns.Later = s.Later
		return fresh, tx.SaveConversation(ctx, &tickets.Conversation{Key: key, State: ns.encode(), UpdatedAt: b.now()})
	})
	if err != nil || r.args == "" || replies == nil {
		return replies, err
	}
	m := r.m
	if m.EventID != "" {
		m.EventID += ":problem"
	}
	m.Text = r.args
	return b.intakeTurn(ctx, &turn{msg: m, ex: extract.Extract(m.Text, b.deskNow()), fresh: true})
}

// wordOfIntake runs "/cancel" and "/start over" as the plain words they
// stand for in a report's conversation.
func (b *Bot) wordOfIntake(ctx context.Context, r request) ([]chat.Reply, error) {
	m := r.m
	m.Text = strings.TrimSpace(r.cmd.Name + " " + r.args)
	return b.intake(ctx, m, false)
}

// mentionOf finds "/name" for a command the desk knows, at the start of
// the text or after a space or opening punctuation, so paths and URLs
// ("C:/status", "https://x/help") are left alone.
func mentionOf(cmds []command) *regexp.Regexp {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
		names = append(names, c.Aliases...)
	}
	// Longest first, so /kbedit is not read as /kb.
	slices.SortFunc(names, func(x, y string) int { return len(y) - len(x) })
	return regexp.MustCompile(`(^|[\s("'“‘\x60])/(` + strings.Join(names, "|") + `)\b`)
}

// localize rewrites the command mentions in text for platform: where the
// chat has a few top-level slash commands (Config.Slash), "/status 12"
// reads "/helpdesk status 12" and "/claim 12" reads "/desk claim 12".
func (b *Bot) localize(platform, text string) string {
	if !b.conf().Slash[platform] || !strings.Contains(text, "/") {
		return text
	}
	return b.mention.ReplaceAllStringFunc(text, func(s string) string {
		i := strings.LastIndexByte(s, '/')
		c := b.cmd(s[i+1:])
		return s[:i] + "/" + c.Slash + " " + s[i+1:]
	})
}

// localizeReplies rewrites the command mentions of replies for platform.
func (b *Bot) localizeReplies(platform string, rs []chat.Reply) []chat.Reply {
	for i := range rs {
		rs[i].Text = b.localize(platform, rs[i].Text)
	}
	return rs
}
