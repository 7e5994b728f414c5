package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Form is a set of fields an adapter shows as a modal (Slack view, Discord
// modal) when a button needs more than a click, such as a resolve with its
// resolution text. The submission comes back as an Action with Name set to
// Form.Action and the values in Action.Fields.
type Form struct {
	Action string // the Action name the submission runs
	Title  string // short: Slack allows 24 characters, Discord 45
	Submit string // label of the submit button
	Fields []FormField
}

// FormField is one text input of a Form.
type FormField struct {
	Name        string // key in Action.Fields
	Label       string
	Placeholder string
	Multiline   bool
	Optional    bool
	MaxLen      int    // characters; 0 means 3000
	Value       string // prefilled text, from what the desk already knows
}

// forms are the modals behind agent buttons. Claim needs no form.
var forms = map[string]Form{
	ActionReply: {Action: ActionReply, Title: "Reply to requester", Submit: "Send reply", Fields: []FormField{
		{Name: "text", Label: "Reply (the requester sees this)", Multiline: true},
	}},
	ActionNote: {Action: ActionNote, Title: "Internal note", Submit: "Add note", Fields: []FormField{
		{Name: "text", Label: "Note (agents only, never sent to the requester)", Multiline: true},
	}},
	ActionPending: {Action: ActionPending, Title: "Wait on requester", Submit: "Set pending", Fields: []FormField{
		{Name: "text", Label: "What do you need from the requester?", Placeholder: "Sent to the requester; leave empty to only set the status", Multiline: true, Optional: true},
	}},
	ActionResolve: {Action: ActionResolve, Title: "Resolve ticket", Submit: "Resolve", Fields: []FormField{
		{Name: "text", Label: "Resolution (what fixed it)", Placeholder: "Sent to the requester and kept for the knowledge base", Multiline: true},
	}},
	ActionEscalate: {Action: ActionEscalate, Title: "Escalate ticket", Submit: "Escalate", Fields: []FormField{
		{Name: "to", Label: "To tier or team", Placeholder: "2, 3 or a team name", MaxLen: 40},
		{Name: "description", Label: "Issue description", Multiline: true},
		{Name: "steps", Label: "Steps taken, each with its result", Placeholder: "rebooted -> same error", Multiline: true},
		{Name: "priority", Label: "Priority", Placeholder: "P1, P2, P3 or P4", MaxLen: 2},
		{Name: "system", Label: "System: device, versions, error", Placeholder: "device: …; versions: …; error: …", Multiline: true},
	}},
}

// FormFor returns the form a button with action opens, if it needs one,
// without prefilled values; Bot.Form fills them in.
func FormFor(action string) (Form, bool) {
	f, ok := forms[action]
	return f, ok
}

// Validate checks submitted values and returns a plain sentence per field
// that is wrong, keyed by field name; nil when all is well.
func (f Form) Validate(values map[string]string) map[string]string {
	var errs map[string]string
	for _, fd := range f.Fields {
		v := strings.TrimSpace(values[fd.Name])
		max := fd.MaxLen
		if max <= 0 {
			max = 3000
		}
		var msg string
		switch {
		case v == "" && !fd.Optional:
			msg = "This field is required."
		case utf8.RuneCountInString(v) > max:
			msg = fmt.Sprintf("This is too long: at most %d characters.", max)
		}
		if msg != "" {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[fd.Name] = msg
		}
	}
	if f.Action == ActionEscalate {
		// The handoff rule, told on the field at fault.
		for field, missing := range handoffFromFields(values).missingByField() {
			if errs == nil {
				errs = map[string]string{}
			}
			if _, ok := errs[field]; !ok {
				errs[field] = "Missing " + joinAnd(missing) + "."
			}
		}
	}
	return errs
}

// Form returns the form a button opens for user on the ticket in value,
// prefilled with what the desk knows: the escalation form carries the
// handoff note from intake and the ticket's history, so the agent only adds
// what is new. Someone who may not run the action on that ticket gets the
// same refusal the action would give, before any of it is shown.
func (b *Bot) Form(ctx context.Context, user tickets.Person, action, value string) (Form, error) {
	f, ok := FormFor(action)
	if !ok {
		return Form{}, tickets.Errorf(tickets.EINVALID, "The %q button opens no form.", action)
	}
	a := b.conf().actorOf(user)
	if !a.canRun(action) {
		return Form{}, a.refuse(action, nil)
	}
	id, _, err := ticketArg(value, usages[action])
	if err != nil {
		return Form{}, err
	}
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		return Form{}, err
	}
	if !a.can(action, t) {
		return Form{}, a.refuse(action, t)
	}
	if action != ActionEscalate {
		return f, nil
	}
	if t.Tier >= 3 {
		return Form{}, tickets.Errorf(tickets.ECONFLICT, "%s is already at tier 3, the top tier.", t.Ref())
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return Form{}, err
	}
	h := b.prefillHandoff(t, evs)
	values := map[string]string{"to": fmt.Sprint(t.Tier + 1), "description": h.Description, "steps": h.Steps, "priority": h.Priority, "system": h.System}
	f.Fields = append([]FormField(nil), f.Fields...)
	for i := range f.Fields {
		f.Fields[i].Value = values[f.Fields[i].Name]
	}
	return f, nil
}
