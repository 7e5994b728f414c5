package bot

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// One person may write from several platforms. Their keys are one
// requester when an admin linked them (/link) or when each platform's
// profile gives the same e-mail address (Slack's is the verified address
// of the workspace account; Discord gives none): /mine lists every ticket
// of theirs, they may follow each with /status, and a new ticket takes
// their contact and device from earlier ones when the report lacks them.

// people is what reading a person's keys needs: a transaction or the store.
type people interface {
	LinkedKeys(ctx context.Context, key string) ([]string, error)
	FindTickets(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error)
}

// emailOf is p's contact when it is an e-mail address, else "".
func emailOf(p tickets.Person) string {
	a, err := mail.ParseAddress(p.Contact)
	if err != nil || a.Address != strings.TrimSpace(p.Contact) {
		return ""
	}
	return a.Address
}

// otherKeys are the keys of p's accounts on other platforms (or other
// accounts): linked by an admin, or with p's e-mail address.
func (b *Bot) otherKeys(ctx context.Context, q people, p tickets.Person) ([]string, error) {
	keys, err := q.LinkedKeys(ctx, p.Key())
	if err != nil {
		return nil, fmt.Errorf("linked accounts: %w", err)
	}
	if email := emailOf(p); email != "" {
		ts, err := q.FindTickets(ctx, tickets.TicketFilter{Contact: email, Limit: 100})
		if err != nil {
			return nil, fmt.Errorf("accounts by e-mail: %w", err)
		}
		for _, t := range ts {
			keys = append(keys, t.Requester.Key())
		}
	}
	var out []string
	for _, k := range keys {
		if k != p.Key() && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// prefill gives new ticket t the contact and device of the requester's
// latest earlier ticket, on any of their accounts, when its own are
// missing; each says where it came from.
func (b *Bot) prefill(ctx context.Context, tx tickets.Tx, t *tickets.Ticket) error {
	others, err := b.otherKeys(ctx, tx, t.Requester)
	if err != nil {
		return err
	}
	earlier, err := tx.FindTickets(ctx, tickets.TicketFilter{Requesters: append([]string{t.Requester.Key()}, others...), Limit: 20})
	if err != nil {
		return fmt.Errorf("earlier tickets: %w", err)
	}
	needContact := emailOf(t.Requester) == ""
	needDevice := t.Kind == tickets.KindIncident && t.Fields[tickets.FieldDevice] == ""
	for _, e := range earlier { // newest first
		if needContact && emailOf(e.Requester) != "" {
			t.Requester.Contact = strings.TrimSpace(strings.TrimPrefix(t.Requester.Contact+", "+emailOf(e.Requester), ", "))
			needContact = false
		}
		if needDevice && e.Fields[tickets.FieldDevice] != "" {
			t.Fields[tickets.FieldDevice] = fmt.Sprintf("%s (from their earlier ticket %s)", e.Fields[tickets.FieldDevice], e.Ref())
			needDevice = false
		}
	}
	return nil
}

// link runs /link KEY KEY (admins): two accounts are one person.
func (b *Bot) link(ctx context.Context, r request) ([]chat.Reply, error) {
	fields := strings.Fields(r.args)
	if len(fields) != 2 {
		return nil, tickets.Errorf(tickets.EINVALID, "Which two accounts? Usage: %s, like /link slack:U0123ABC discord:123456789012345678", r.cmd.usage())
	}
	for _, k := range fields {
		if p, u, ok := strings.Cut(k, ":"); !ok || p == "" || u == "" {
			return nil, tickets.Errorf(tickets.EINVALID, "%q is not PLATFORM:USER_ID; write it like slack:U0123ABC or discord:123456789012345678.", k)
		}
	}
	if fields[0] == fields[1] {
		return nil, tickets.Errorf(tickets.EINVALID, "That is one account twice; name two different ones.")
	}
	return b.update(ctx, r.m, func(tx tickets.Tx) ([]chat.Reply, error) {
		if err := tx.LinkPeople(ctx, fields[0], fields[1]); err != nil {
			return nil, err
		}
		keys, err := tx.LinkedKeys(ctx, fields[0])
		if err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("Linked: %s are one person now; /mine shows all their tickets, and each may follow them with /status.", strings.Join(keys, ", "))}}, nil
	})
}

// unlink runs /unlink KEY (admins).
func (b *Bot) unlink(ctx context.Context, r request) ([]chat.Reply, error) {
	key := strings.TrimSpace(r.args)
	if key == "" || strings.ContainsAny(key, " \t") {
		return nil, tickets.Errorf(tickets.EINVALID, "Which account? Usage: %s", r.cmd.usage())
	}
	return b.update(ctx, r.m, func(tx tickets.Tx) ([]chat.Reply, error) {
		if err := tx.UnlinkPerson(ctx, key); isNotFound(err) {
			return nil, tickets.Errorf(tickets.ENOTFOUND, "%s is not linked to another account.", key)
		} else if err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: fmt.Sprintf("%s is on its own again.", key)}}, nil
	})
}
