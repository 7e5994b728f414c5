package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// stage is where an intake conversation stands.
type stage string

const (
	stageDescribe  stage = "describe"  // waiting for a description of the problem
	stageKB        stage = "kb"        // articles offered, waiting for "fixed" or "still broken"
	stageAsk       stage = "ask"       // waiting for the answer to one question
	stageDuplicate stage = "duplicate" // linked to an open ticket; "new" opens a separate one
)

// intakeState is everything known about one report in progress. It is
// stored as JSON in the conversation row after every message.
type intakeState struct {
	Stage     stage             `json:"stage"`
	Kind      tickets.Kind      `json:"kind"`
	Request   string            `json:"request,omitempty"`
	Category  tickets.Category  `json:"category,omitempty"`
	Impact    tickets.Level     `json:"impact,omitempty"`
	Urgency   tickets.Level     `json:"urgency,omitempty"`
	Fields    map[string]string `json:"fields"`
	StartedAt time.Time         `json:"started_at,omitzero"`
	// StartedText is the person's words for when it started ("since the
	// update"), kept as said.
	StartedText string   `json:"started_text,omitempty"`
	Steps       []string `json:"steps,omitempty"`
	Asking      string   `json:"asking,omitempty"`
	// Group are the fields asked together in one turn; Asking is "" then.
	Group     []string `json:"group,omitempty"`
	Grouped   bool     `json:"grouped,omitempty"` // a group was asked: the rest go one by one
	Skipped   []string `json:"skipped,omitempty"`
	Offered   []string `json:"offered,omitempty"`
	KBDone    bool     `json:"kb_done,omitempty"`
	Clarified bool     `json:"clarified,omitempty"` // asked what is broken, for a vague report
	// Vague is how many of the first Messages named nothing to look for
	// when the desk asked what is broken: the offer searches without them.
	Vague   int   `json:"vague,omitempty"`
	DupOf   int64 `json:"dup_of,omitempty"`
	DupDone bool  `json:"dup_done,omitempty"`
	// DupEvent is the event that added the report to ticket DupOf: when
	// the person answers "new", it moves to the ticket they get.
	DupEvent int64 `json:"dup_event,omitempty"`
	// LinkedAt is when the run of messages added to DupOf began; Answering
	// says they answer the desk. The next messages within the update
	// window of LinkedAt follow them there (followLinked).
	LinkedAt  time.Time `json:"linked_at,omitzero"`
	Answering bool      `json:"answering,omitempty"`
	Messages  []string  `json:"messages,omitempty"`
	Secret    bool      `json:"secret,omitempty"`
	// Later are other problems brought up while this one was being asked
	// about, reported one by one when it is done (intake_later.go).
	Later []laterReport `json:"later,omitempty"`
	// Opened is the ticket this report was filed as, once it is.
	Opened int64 `json:"opened,omitempty"`
	// Siblings are the tickets filed (or added to) by the reports this
	// conversation took before this one, a problem kept aside: this report
	// is another problem, so never a duplicate of them.
	Siblings []int64 `json:"siblings,omitempty"`
}

// maxKeptMessages bounds the transcript kept for the ticket description.
const maxKeptMessages = 20

func newIntake() *intakeState {
	return &intakeState{Stage: stageDescribe, Kind: tickets.KindIncident, Fields: map[string]string{}}
}

// conversations is where intake states are read from: a transaction, or
// the store itself outside one.
type conversations interface {
	Conversation(ctx context.Context, key string) (*tickets.Conversation, error)
}

// loadIntake reads the state of the conversation with key; a conversation
// not started yet is a new report.
func loadIntake(ctx context.Context, from conversations, key string) (*intakeState, error) {
	c, err := from.Conversation(ctx, key)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		return newIntake(), nil
	} else if err != nil {
		return nil, err
	}
	s := newIntake()
	if err := json.Unmarshal(c.State, s); err != nil {
		return nil, fmt.Errorf("decode conversation %s: %w", c.Key, err)
	}
	if s.Fields == nil {
		s.Fields = map[string]string{}
	}
	return s, nil
}

func (s *intakeState) encode() []byte {
	b, _ := json.Marshal(s) // plain data: cannot fail
	return b
}

func (s *intakeState) skipped(field string) bool { return slices.Contains(s.Skipped, field) }

func (s *intakeState) addStep(step string) {
	if !slices.Contains(s.Steps, step) {
		s.Steps = append(s.Steps, step)
	}
}

func (s *intakeState) keep(text string) bool {
	if len(s.Messages) < maxKeptMessages {
		s.Messages = append(s.Messages, text)
		return true
	}
	return false
}

// InConversation reports whether user has business with the desk in place:
// a report going on there, or an open ticket reported from there. An
// adapter asks it for a reply in a thread it does not otherwise follow (a
// thread a mention started before a restart), instead of keeping its own
// list that a restart would lose. A store error counts as no.
func (b *Bot) InConversation(ctx context.Context, place tickets.Place, user tickets.Person) bool {
	if _, err := b.store.Conversation(ctx, conversationKey(place, user)); err == nil {
		return true
	}
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{Requester: user.Key(), Statuses: activeStatuses, Limit: 50})
	if err != nil {
		return false
	}
	for _, t := range ts {
		if t.Origin == place {
			return true
		}
	}
	return false
}

// conversationKey identifies the intake conversation of a user in a place:
// the same person can have one report going in a DM and another in a thread.
func conversationKey(p tickets.Place, u tickets.Person) string {
	return p.Platform + "|" + p.ChannelID + "|" + p.ThreadID + "|" + u.UserID
}
