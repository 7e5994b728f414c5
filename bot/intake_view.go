package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// IntakeView is what intake knows of a person's report in a place, and
// what it would still ask: the answer "helpdesk intake eval" scores. It is
// read from the stored conversation, or from the ticket the report became
// when the conversation is over.
type IntakeView struct {
	Kind       tickets.Kind
	Request    string // catalog entry name; "" for an incident
	Category   tickets.Category
	Device     string // hardware
	App        string // application or service
	Error      string
	Started    string // the words that said when it started; "" if unknown
	Steps      []string
	Impact     tickets.Level
	Urgency    tickets.Level
	ThirdParty bool
	// Fields are a request's catalog fields already answered.
	Fields map[string]string
	// Asks are the fields intake would still ask for, in order: "device",
	// "app", "error", "started", "steps", "category", "impact", "urgency",
	// or a catalog field's name.
	Asks []string
	// Ticket is the ticket the report became; 0 while it is in progress.
	Ticket int64
}

// IntakeView reads the report user has going in place. With none going,
// it reads the newest ticket user reported there; ENOTFOUND without one.
func (b *Bot) IntakeView(ctx context.Context, place tickets.Place, user tickets.Person) (IntakeView, error) {
	key := conversationKey(place, user)
	if _, err := b.store.Conversation(ctx, key); err == nil {
		s, err := loadIntake(ctx, b.store, key)
		if err != nil {
			return IntakeView{}, err
		}
		return b.viewOf(s), nil
	} else if !isNotFound(err) {
		return IntakeView{}, err
	}
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{Requester: user.Key(), Limit: 1})
	if err != nil {
		return IntakeView{}, err
	}
	if len(ts) == 0 {
		return IntakeView{}, tickets.Errorf(tickets.ENOTFOUND, "%s has no report going and no ticket", user.Display())
	}
	t := ts[0]
	v := IntakeView{Kind: t.Kind, Request: t.RequestType, Category: t.Category, Impact: t.Impact, Urgency: t.Urgency,
		Error: t.Fields[tickets.FieldError], Started: t.Fields[tickets.FieldStarted], Fields: map[string]string{}, Ticket: t.ID}
	v.Device, v.App = t.Fields[tickets.FieldDevice], t.Fields[tickets.FieldApp]
	if st := t.Fields[tickets.FieldSteps]; st != "" {
		v.Steps = strings.Split(st, "; ")
	}
	if t.Kind == tickets.KindRequest {
		if rt, ok := b.requestType(t.RequestType); ok {
			for _, f := range rt.Fields {
				if t.Fields[f.Name] != "" {
					v.Fields[f.Name] = t.Fields[f.Name]
				}
			}
		}
	}
	v.ThirdParty = slices.Contains(t.Flags, tickets.FlagIdentity)
	return v, nil
}

// viewOf is the view of a report in progress.
func (b *Bot) viewOf(s *intakeState) IntakeView {
	v := IntakeView{Kind: s.Kind, Request: s.Request, Category: s.Category, Impact: s.Impact, Urgency: s.Urgency,
		Error: s.Fields[tickets.FieldError], Started: s.StartedText, Steps: s.Steps, Fields: map[string]string{}}
	v.Device, v.App = s.Fields[tickets.FieldDevice], s.Fields[tickets.FieldApp]
	if v.Started == "" {
		v.Started = s.Fields[tickets.FieldStarted]
	}
	if s.Kind == tickets.KindRequest {
		if rt, ok := b.requestType(s.Request); ok {
			for _, f := range rt.Fields {
				if s.Fields[f.Name] != "" {
					v.Fields[f.Name] = s.Fields[f.Name]
				}
			}
		}
	}
	v.ThirdParty = slices.Contains(extract.SecurityFlags(strings.Join(s.Messages, "\n")), tickets.FlagIdentity)
	for _, q := range b.openQuestions(s) {
		if q.field == tickets.FieldDevice && s.Kind == tickets.KindIncident {
			// One question asks for the device or the app.
			v.Asks = append(v.Asks, "device", "app")
			continue
		}
		v.Asks = append(v.Asks, q.field)
	}
	return v
}

// PendingQuestion is the question user's report in place waits on, to be
// put again when the program starts after a restart; false when none
// waits.
func (b *Bot) PendingQuestion(ctx context.Context, place tickets.Place, user tickets.Person) (string, bool) {
	key := conversationKey(place, user)
	if _, err := b.store.Conversation(ctx, key); err != nil {
		return "", false
	}
	s, err := loadIntake(ctx, b.store, key)
	if err != nil {
		return "", false
	}
	switch {
	case s.Stage == stageKB && len(s.Offered) == 1:
		return "Did the article I offered fix it? Reply \"yes\" if so, or \"no\" and I'll go on with your ticket.", true
	case s.Stage == stageKB:
		return "Did one of the articles I offered fix it? Reply \"yes\" (or its number) if so, or \"no\" and I'll go on with your ticket.", true
	case s.Stage == stageAsk && len(s.Group) > 0:
		return groupText(s), true
	case s.Stage == stageAsk && s.Asking != "":
		q, _ := b.questionFor(s, s.Asking)
		return q.text, true
	}
	return "", false
}
