package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// command is a parsed "/name args" message.
type command struct {
	Name string
	Args string
}

// parseCommand reads "/claim 12", "/helpdesk claim 12" or "!claim 12".
func parseCommand(text string) (command, bool) {
	if !strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "!") {
		return command{}, false
	}
	fields := strings.Fields(text[1:])
	if len(fields) == 0 {
		return command{Name: ""}, true
	}
	name := strings.ToLower(fields[0])
	rest := strings.TrimSpace(strings.TrimPrefix(text[1:], fields[0]))
	if name == "helpdesk" || name == "hd" {
		if len(fields) == 1 {
			return command{Name: "help"}, true
		}
		name = strings.ToLower(fields[1])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, fields[1]))
	}
	return command{Name: name, Args: rest}, true
}

// usages are the commands the bot knows, with the usage line shown on
// misuse.
var usages = map[string]string{
	"help": "/help", "new": "/new", "mine": "/mine", "cancel": "/cancel", "start": "/start over",
	"status": "/status N", "article": "/article ID", "kb": "/article ID", chat.ActionReopen: "/reopen N [reason]",
	"queue":            "/queue",
	"show":             "/show N",
	chat.ActionClaim:   "/claim N",
	chat.ActionReply:   "/reply N text for the requester",
	chat.ActionNote:    "/note N internal note",
	chat.ActionPending: "/pending N [what you need from the requester]",
	chat.ActionResolve: "/resolve N what fixed it",
	"escalate":         "/escalate N TIER-or-TEAM then the handoff note: description: … | steps: step -> result; … | priority: P2 | system: device: …; versions: …; error: …",
	"deescalate":       "/deescalate N note for the owner",
	"merge":            "/merge N into M",
	"major":            "/major N [service name]",
	"update":           "/update N status text for everyone affected",
	"kbdraft":          "/kbdraft N",
	"kbedit":           "/kbedit ID [new markdown]",
	"kbpublish":        "/kbpublish ID",
	"summary":          "/summary N",
	"reload":           "/reload",
	"outbox":           "/outbox",
}

// command runs a slash command.
func (b *Bot) command(ctx context.Context, m chat.Message, c command) ([]chat.Reply, error) {
	a := b.conf().actorOf(m.User)
	usage, known := usages[c.Name]
	if c.Name != "" && !known {
		if _, ok := b.extraCommand(c.Name); !ok {
			return []chat.Reply{{Text: fmt.Sprintf("I don't know the command /%s. Type /help to see the commands.", c.Name), Ephemeral: true}}, nil
		}
	}
	if c.Name != "" && known && !a.canRun(c.Name) {
		return nil, a.refuse(c.Name, nil)
	}
	replies, err := b.runCommand(ctx, m, a, c, usage)
	if !(actor{}).canRun(c.Name) {
		// Agents' confirmations are for them alone: on Slack and Discord
		// they stay out of the triage channel's history.
		for i := range replies {
			replies[i].Ephemeral = true
		}
	}
	return replies, err
}

// runCommand runs a known command a is allowed to use.
func (b *Bot) runCommand(ctx context.Context, m chat.Message, a actor, c command, usage string) ([]chat.Reply, error) {
	switch c.Name {
	case "help", "":
		role := ""
		if a.IsAgent {
			role = fmt.Sprintf("you are %s, %s", a.Agent.Name, a.role())
		}
		return []chat.Reply{{Text: b.render("help", map[string]any{"Agent": role, "Admin": a.IsAgent && a.Agent.Role == RoleAdmin}), Ephemeral: true}}, nil
	case "new":
		key := conversationKey(m.Place(), m.User)
		return b.update(ctx, m, func(tx tickets.Tx) ([]chat.Reply, error) {
			return []chat.Reply{{Text: "OK, a fresh report. What's going wrong?"}}, tx.DeleteConversation(ctx, key)
		})
	case "cancel", "start":
		// "/cancel" and "/start over" mean the same as the plain words.
		m.Text = strings.TrimSpace(c.Name + " " + c.Args)
		return b.intake(ctx, m, false)
	case "mine":
		return b.mine(ctx, m)
	case "article", "kb":
		replies, err := b.article(c.Args)
		if err == nil {
			b.countOpened(ctx, m, strings.TrimSpace(c.Args))
		}
		return replies, err
	case "queue":
		return b.queue(ctx, a)
	case "status", "show":
		id, _, err := ticketArg(c.Args, usage)
		if err != nil {
			return nil, err
		}
		return b.show(ctx, a, c.Name, id)
	case chat.ActionReopen:
		return b.reopen(ctx, m, a, c)
	case chat.ActionClaim, chat.ActionReply, chat.ActionNote, chat.ActionPending, chat.ActionResolve:
		return b.agentCommand(ctx, m, a, c, usage)
	case "escalate":
		return b.escalate(ctx, m, a, c, nil)
	case "deescalate":
		return b.deescalate(ctx, m, a, c)
	case "merge":
		return b.merge(ctx, m, a, c)
	case "major":
		return b.declareMajor(ctx, m, a, c)
	case "update":
		return b.majorUpdate(ctx, m, a, c)
	case "summary":
		return b.summary(ctx, a, c)
	case "reload":
		return b.reloadConfig(ctx, a)
	case "outbox":
		return b.outbox(ctx)
	}
	run, _ := b.extraCommand(c.Name)
	return run(ctx, m, a, c)
}

// extraCommand finds a command defined outside this file's table (the KB
// drafting commands).
func (b *Bot) extraCommand(name string) (func(context.Context, chat.Message, actor, command) ([]chat.Reply, error), bool) {
	return b.kbCommand(b.articles, name)
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

// article shows a KB article's full text.
func (b *Bot) article(id string) ([]chat.Reply, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "Which article? Usage: /article ID (the ID is shown under each suggestion).")
	}
	a, ok := b.kb.Article(id)
	if !ok {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "There is no article %q. The ID is shown under each suggestion, like /article vpn-cannot-connect.", id)
	}
	return []chat.Reply{{Text: a.Title + "\n\n" + a.Body, Ephemeral: true}}, nil
}

// mine lists the sender's open tickets.
//
// Tickets are shown to requesters only when they are theirs; see show.
func (b *Bot) mine(ctx context.Context, m chat.Message) ([]chat.Reply, error) {
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{
		Requester: m.User.Key(),
		Statuses:  []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated, tickets.StatusResolved},
	})
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: b.render("queue", b.queueView("Your tickets", "You have no open tickets. Describe a problem whenever you need help.", ts)), Ephemeral: true}}, nil
}
