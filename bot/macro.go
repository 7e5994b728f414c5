package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Macros are canned replies: "/reply 12 :vpn-reset" sends the text of the
// macro vpn-reset with its placeholders filled in for ticket 12. They come
// from the config file (Config.Macros) or are added in chat with /macro
// add; each use is counted.

var (
	macroName        = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	macroPlaceholder = regexp.MustCompile(`\{[^{}\s]*\}`)
	// macroUse is ":NAME" at the start of a reply, then what the agent
	// adds after it.
	macroUse = regexp.MustCompile(`^:([A-Za-z0-9][A-Za-z0-9_-]{0,31})(?:\s+|$)`)
)

// macroPlaceholders are what a macro's text may name, and what each is.
var macroPlaceholders = []struct{ name, what string }{
	{"{requester}", "the requester's name"},
	{"{ticket}", "the ticket's number, like #12"},
	{"{agent}", "your name"},
}

// CheckMacro says what is wrong with a macro called name with text, in a
// sentence for whoever wrote it (in chat or in the config file); nil when
// nothing is.
func CheckMacro(name, text string) error {
	if !macroName.MatchString(name) {
		return fmt.Errorf("%q is not a macro name; use up to 32 lower-case letters, digits, - and _, like vpn-reset", name)
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("the macro %s has no text; write the reply after its name", name)
	}
	for _, p := range macroPlaceholder.FindAllString(text, -1) {
		if !slices.ContainsFunc(macroPlaceholders, func(k struct{ name, what string }) bool { return k.name == p }) {
			return fmt.Errorf("%s is not a placeholder; use %s", p, placeholderList())
		}
	}
	return nil
}

func placeholderList() string {
	var parts []string
	for _, p := range macroPlaceholders {
		parts = append(parts, p.name+" ("+p.what+")")
	}
	return strings.Join(parts, ", ")
}

// macroCommand runs /macro: list (the default), add NAME text, rm NAME.
func (b *Bot) macroCommand(ctx context.Context, r request) ([]chat.Reply, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(r.args), " ")
	name, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
	name = strings.ToLower(strings.TrimPrefix(name, ":"))
	text = strings.TrimSpace(text)
	switch strings.ToLower(verb) {
	case "", "list", "ls":
		return b.macroList(ctx)
	case "add", "set":
		if name == "" {
			return nil, tickets.Errorf(tickets.EINVALID, "Which macro? Usage: /macro add NAME text, like /macro add vpn-reset Hi {requester}, please restart the VPN client.")
		}
		if err := CheckMacro(name, text); err != nil {
			return nil, tickets.Errorf(tickets.EINVALID, "%s. Usage: /macro add NAME text", upperFirst(err.Error()))
		}
		if _, ok := b.conf().Macros[name]; ok {
			return nil, tickets.Errorf(tickets.ECONFLICT, "The macro %s is set in the config file; change it there, or pick another name.", name)
		}
		var replaced bool
		replies, err := b.update(ctx, r.m, func(tx tickets.Tx) ([]chat.Reply, error) {
			ms, err := tx.Macros(ctx)
			if err != nil {
				return nil, err
			}
			replaced = slices.ContainsFunc(ms, func(m *tickets.Macro) bool { return m.Name == name })
			if err := tx.SaveMacro(ctx, &tickets.Macro{Name: name, Text: text, Author: r.m.User.Key(), UpdatedAt: b.now()}); err != nil {
				return nil, err
			}
			what := "added"
			if replaced {
				what = "replaced"
			}
			return []chat.Reply{{Text: fmt.Sprintf("Macro %s %s. Use it with /reply N :%s (also /pending and /resolve).", name, what, name)}}, nil
		})
		return replies, err
	case "rm", "remove", "delete", "del":
		if name == "" {
			return nil, tickets.Errorf(tickets.EINVALID, "Which macro? Usage: /macro rm NAME; /macro list shows them.")
		}
		if _, ok := b.conf().Macros[name]; ok {
			return nil, tickets.Errorf(tickets.ECONFLICT, "The macro %s is set in the config file; remove it there.", name)
		}
		return b.update(ctx, r.m, func(tx tickets.Tx) ([]chat.Reply, error) {
			if err := tx.DeleteMacro(ctx, name); isNotFound(err) {
				return nil, tickets.Errorf(tickets.ENOTFOUND, "There is no macro %s. /macro list shows them.", name)
			} else if err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: fmt.Sprintf("Macro %s removed.", name)}}, nil
		})
	}
	return nil, tickets.Errorf(tickets.EINVALID, "/macro %s: say list, add NAME text, or rm NAME. Usage: %s", verb, r.cmd.usage())
}

// macroRow is one macro as the desk has it: its name and text, where it
// comes from, and how often it was used.
type macroRow struct {
	name, text, from string
	uses             int
}

// macroRows are every macro, the config file's first, then those added in
// chat, in no particular order.
func (b *Bot) macroRows(ctx context.Context) ([]macroRow, error) {
	stored, err := b.store.Macros(ctx)
	if err != nil {
		return nil, err
	}
	uses, err := b.store.MacroUses(ctx)
	if err != nil {
		return nil, err
	}
	var rows []macroRow
	for name, text := range b.conf().Macros {
		rows = append(rows, macroRow{name, text, "config file", uses[name]})
	}
	for _, m := range stored {
		rows = append(rows, macroRow{m.Name, m.Text, "added by " + b.agentName(m.Author), uses[m.Name]})
	}
	return rows, nil
}

// macroList shows every macro with where it comes from and its uses.
func (b *Bot) macroList(ctx context.Context) ([]chat.Reply, error) {
	rows, err := b.macroRows(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return []chat.Reply{{Text: "There are no macros yet. Add one with /macro add NAME text, like /macro add vpn-reset Hi {requester}, please restart the VPN client and tell me if {ticket} is fixed.\nPlaceholders: " + placeholderList() + "."}}, nil
	}
	slices.SortFunc(rows, func(x, y macroRow) int { return strings.Compare(x.name, y.name) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "Macros (%d) — use one with /reply N :NAME:", len(rows))
	for _, r := range rows {
		first, _, more := strings.Cut(r.text, "\n")
		if len([]rune(first)) > 70 {
			first, more = string([]rune(first)[:70]), true
		}
		if more {
			first += "…"
		}
		fmt.Fprintf(&sb, "\n  :%s  %s  (%s; used %s)", r.name, first, r.from, plural(r.uses, "once", fmt.Sprintf("%d times", r.uses)))
	}
	return []chat.Reply{{Text: sb.String()}}, nil
}

// expandMacro reads text of a reply, pending question or resolution: when
// it starts with ":NAME", the macro's text with its placeholders filled for
// t and agent, then what the agent wrote after the name, and the use
// counted. Other text comes back as it is, with name "".
func (b *Bot) expandMacro(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, agent, text string) (out, name string, uses int, err error) {
	m := macroUse.FindStringSubmatch(text)
	if m == nil {
		return text, "", 0, nil
	}
	name = strings.ToLower(m[1])
	body, ok := b.conf().Macros[name]
	if !ok {
		ms, err := tx.Macros(ctx)
		if err != nil {
			return "", "", 0, err
		}
		i := slices.IndexFunc(ms, func(x *tickets.Macro) bool { return x.Name == name })
		if i < 0 {
			return "", "", 0, tickets.Errorf(tickets.ENOTFOUND, "There is no macro %s. /macro list shows them; /macro add %s text adds it.", name, name)
		}
		body = ms[i].Text
	}
	// "#{ticket}" is how people write a number: {ticket} is "#12" already.
	body = strings.NewReplacer("{requester}", t.Requester.Display(), "#{ticket}", t.Ref(), "{ticket}", t.Ref(), "{agent}", agent).Replace(body)
	if extra := strings.TrimSpace(text[len(m[0]):]); extra != "" {
		body += "\n" + extra
	}
	uses, err = tx.CountMacroUse(ctx, name)
	if err != nil {
		return "", "", 0, err
	}
	return body, name, uses, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
