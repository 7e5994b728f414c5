package bot

import (
	"context"
	"fmt"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// forms are the modals behind agent buttons. Claim needs no form.
func forms() map[string]chat.Form {
	return map[string]chat.Form{
		chat.ActionReply: {Action: chat.ActionReply, Title: "Reply to requester", Submit: "Send reply", Fields: []chat.FormField{
			{Name: "text", Label: "Reply (the requester sees this)", Multiline: true},
			macroField,
		}},
		chat.ActionNote: {Action: chat.ActionNote, Title: "Internal note", Submit: "Add note", Fields: []chat.FormField{
			{Name: "text", Label: "Note (agents only, never sent to the requester)", Multiline: true},
		}},
		chat.ActionPending: {Action: chat.ActionPending, Title: "Wait on requester", Submit: "Set pending", Fields: []chat.FormField{
			{Name: "text", Label: "What do you need from the requester?", Placeholder: "Sent to the requester with the status", Multiline: true},
			macroField,
		}},
		chat.ActionResolve: {Action: chat.ActionResolve, Title: "Resolve ticket", Submit: "Resolve", Fields: []chat.FormField{
			{Name: "text", Label: "Resolution (what fixed it)", Placeholder: "Sent to the requester and kept for the knowledge base", Multiline: true},
			macroField,
		}},
		chat.ActionEscalate: {Action: chat.ActionEscalate, Title: "Escalate ticket", Submit: "Escalate", Fields: []chat.FormField{
			{Name: "to", Label: "To tier or team", Placeholder: "2, 3 or a team name", MaxLen: 40},
			{Name: "description", Label: "Issue description", Multiline: true},
			{Name: "steps", Label: "Steps taken, each with its result", Placeholder: "rebooted -> same error", Multiline: true},
			{Name: "priority", Label: "Priority", Placeholder: "P1, P2, P3 or P4", MaxLen: 2},
			{Name: "system", Label: "System: device, versions, error", Placeholder: "device: …; versions: …; error: …", Multiline: true},
		}},
	}
}

// FormFor returns the form a button with action opens, if it needs one,
// without prefilled values (Form fills them in). An adapter asks it to
// tell a button that opens a modal from one that acts at once, and to read
// a submission back.
func (b *Bot) FormFor(action string) (chat.Form, bool) {
	f, ok := b.forms[action]
	return f, ok
}

// CheckForm checks a form's submitted values: the form's own shape
// (chat.Form.Validate) and the desk's rules, such as the escalation
// handoff, told on the field at fault. It returns a plain sentence per
// field that is wrong, keyed by field name; nil when all is well. Adapters
// call it before acknowledging a submission, where platforms show field
// errors.
func (b *Bot) CheckForm(f chat.Form, values map[string]string) map[string]string {
	if hasMacroField(f) {
		return checkMacroForm(f, values)
	}
	errs := f.Validate(values)
	if f.Action != chat.ActionEscalate {
		return errs
	}
	for field, missing := range handoffFromFields(values).missingByField() {
		if errs == nil {
			errs = map[string]string{}
		}
		if _, ok := errs[field]; !ok {
			errs[field] = "Missing " + joinAnd(missing) + "."
		}
	}
	return errs
}

// Form returns the form a button opens for user on the ticket in value,
// prefilled with what the desk knows: the escalation form carries the
// handoff note from intake and the ticket's history, so the agent only adds
// what is new. Someone who may not run the action on that ticket gets the
// same refusal the action would give, before any of it is shown.
func (b *Bot) Form(ctx context.Context, user tickets.Person, action, value string) (chat.Form, error) {
	f, ok := b.FormFor(action)
	if !ok {
		return chat.Form{}, tickets.Errorf(tickets.EINVALID, "The %q button opens no form.", action)
	}
	a, c := b.conf().actorOf(user), b.cmd(action)
	if !a.allowed(c) {
		return chat.Form{}, a.refuse(c, nil)
	}
	id, _, err := ticketArg(value, c.usage())
	if err != nil {
		return chat.Form{}, err
	}
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		return chat.Form{}, err
	}
	if !a.can(c, t) {
		return chat.Form{}, a.refuse(c, t)
	}
	if action == chat.ActionReply || action == chat.ActionPending || action == chat.ActionResolve {
		return b.withMacros(ctx, f)
	}
	if action != chat.ActionEscalate {
		return f, nil
	}
	if t.Tier >= 3 {
		return chat.Form{}, tickets.Errorf(tickets.ECONFLICT, "%s is already at tier 3, the top tier.", t.Ref())
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return chat.Form{}, err
	}
	h := b.prefillHandoff(t, evs)
	values := map[string]string{"to": fmt.Sprint(t.Tier + 1), "description": h.Description, "steps": h.Steps, "priority": h.Priority, "system": h.System}
	f.Fields = append([]chat.FormField(nil), f.Fields...)
	for i := range f.Fields {
		f.Fields[i].Value = values[f.Fields[i].Name]
	}
	return f, nil
}
