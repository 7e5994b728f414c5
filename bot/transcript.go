package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Transcript is the whole of a ticket in one document: the report in its
// person's words, the fields read from it, every reply and change, and —
// for the desk only — internal notes, handoff notes and flags. /transcript
// shows it in chat; helpdesk export writes it as markdown or JSON.
type Transcript struct {
	Ticket     int64             `json:"ticket"`
	Summary    string            `json:"summary"`
	Kind       string            `json:"kind"`
	Category   string            `json:"category"`
	Priority   string            `json:"priority"`
	Status     string            `json:"status"`
	Requester  string            `json:"requester"`
	Assignee   string            `json:"assignee,omitempty"`
	Opened     time.Time         `json:"opened"`
	Resolved   time.Time         `json:"resolved,omitzero"`
	Report     string            `json:"report"`
	Fields     []TranscriptField `json:"fields"`
	Flags      []string          `json:"flags,omitempty"`
	Resolution string            `json:"resolution,omitempty"`
	// Internal is true when the transcript holds what only the desk sees.
	Internal bool              `json:"internal"`
	Timeline []TranscriptEntry `json:"timeline"`
}

// TranscriptField is one field of a ticket.
type TranscriptField struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// TranscriptEntry is one event of a ticket's history.
type TranscriptEntry struct {
	At       time.Time `json:"at"`
	Who      string    `json:"who"`
	Kind     string    `json:"kind"`
	What     string    `json:"what"`               // the history line
	Text     string    `json:"text,omitempty"`     // what was written, whole
	Internal bool      `json:"internal,omitempty"` // never shown to the requester
}

// Transcript builds ticket id's transcript; internal adds what only the
// desk sees. It checks no permission: /transcript does (see transcript),
// and helpdesk export is run by whoever holds the database.
func (b *Bot) Transcript(ctx context.Context, id int64, internal bool) (*Transcript, error) {
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	return b.transcriptOf(t, evs, internal), nil
}

func (b *Bot) transcriptOf(t *tickets.Ticket, evs []*tickets.Event, internal bool) *Transcript {
	v := b.ticketView(t)
	tr := &Transcript{
		Ticket: t.ID, Summary: t.Summary, Kind: v.Kind, Category: v.Category, Priority: t.Priority.String(),
		Status: string(t.Status), Requester: v.Requester, Assignee: v.Assignee,
		Opened: t.CreatedAt.UTC(), Resolved: t.ResolvedAt.UTC(), Report: strings.TrimSpace(t.Fields["description"]),
		Resolution: t.Resolution, Internal: internal, Fields: []TranscriptField{},
	}
	for _, f := range v.Fields {
		tr.Fields = append(tr.Fields, TranscriptField{Label: f.Label, Value: f.Value})
	}
	if internal {
		tr.Flags = t.Flags
	}
	tr.Timeline = []TranscriptEntry{}
	for _, e := range evs {
		if !internal && !e.Public() {
			continue
		}
		tr.Timeline = append(tr.Timeline, TranscriptEntry{At: e.At.UTC(), Who: b.actorName(e.Actor, t), Kind: string(e.Kind),
			What: describeEvent(e, b), Text: e.Text, Internal: !e.Public()})
	}
	return tr
}

// Markdown writes the transcript as a markdown document.
func (tr *Transcript) Markdown() string {
	var sb strings.Builder
	when := func(t time.Time) string { return t.Format("Mon 2 Jan 2006 15:04 MST") }
	fmt.Fprintf(&sb, "# Ticket #%d — %s\n\n", tr.Ticket, tr.Summary)
	fmt.Fprintf(&sb, "- Status: %s · priority %s · %s · category %s\n", tr.Status, tr.Priority, tr.Kind, tr.Category)
	fmt.Fprintf(&sb, "- Requester: %s", tr.Requester)
	if tr.Assignee != "" {
		fmt.Fprintf(&sb, " · assigned to %s", tr.Assignee)
	}
	fmt.Fprintf(&sb, "\n- Opened: %s", when(tr.Opened))
	if !tr.Resolved.IsZero() {
		fmt.Fprintf(&sb, " · resolved: %s", when(tr.Resolved))
	}
	sb.WriteString("\n")
	if !tr.Internal {
		sb.WriteString("- This copy is the requester's: the desk's internal notes are not in it.\n")
	}
	for _, f := range tr.Flags {
		fmt.Fprintf(&sb, "- ⚠ %s\n", strings.ReplaceAll(f, "-", " "))
	}
	if tr.Report != "" {
		// The first message is the report; the others answered intake's
		// questions.
		first, answers, _ := strings.Cut(tr.Report, "\n")
		sb.WriteString("\n## Report\n\n> " + first + "\n")
		if answers != "" {
			sb.WriteString("\nTheir answers to the desk's questions:\n")
			for _, a := range strings.Split(answers, "\n") {
				sb.WriteString("> " + a + "\n")
			}
		}
	}
	if len(tr.Fields) > 0 {
		sb.WriteString("\n## Details\n\n")
		for _, f := range tr.Fields {
			fmt.Fprintf(&sb, "- %s: %s\n", f.Label, f.Value)
		}
	}
	if tr.Resolution != "" {
		sb.WriteString("\n## Resolution\n\n" + tr.Resolution + "\n")
	}
	sb.WriteString("\n## Timeline\n\n")
	for _, e := range tr.Timeline {
		mark := ""
		if e.Internal {
			mark = " *(internal)*"
		}
		fmt.Fprintf(&sb, "- %s — %s: %s%s\n", when(e.At), e.Who, strings.ReplaceAll(e.What, "\n", "\n  "), mark)
	}
	return sb.String()
}

// transcript runs /transcript N: the ticket's transcript, with internal
// notes for agents who work it and without them for its requester.
func (b *Bot) transcript(ctx context.Context, r request) ([]chat.Reply, error) {
	id, _, err := ticketArg(r.args, r.cmd.usage())
	if err != nil {
		return nil, err
	}
	t, err := b.store.Ticket(ctx, id)
	if err != nil {
		if isNotFound(err) && !r.a.IsAgent {
			return nil, notYours(id)
		}
		return nil, err
	}
	if !r.a.can(r.cmd, t) {
		return nil, r.a.refuse(r.cmd, t)
	}
	evs, err := b.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: b.transcriptOf(t, evs, seesInternal(r.a, t)).Markdown(), Ephemeral: true}}, nil
}
