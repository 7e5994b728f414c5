package tickets

import (
	"fmt"
	"slices"
	"time"
)

// Kind tells incidents (something is broken) from service requests (please
// give me something).
type Kind string

// The kinds of ticket.
const (
	KindIncident Kind = "incident"
	KindRequest  Kind = "request"
)

// Well-known keys of Ticket.Fields for incidents. Service requests use the
// field names of their catalog entry.
const (
	FieldDevice    = "device" // hardware: laptop, printer, …
	FieldApp       = "app"    // the application or service: Outlook, VPN, …
	FieldSymptom   = "symptom"
	FieldError     = "error"
	FieldStarted   = "started"
	FieldSteps     = "steps"
	FieldArticles  = "kb_offered"
	FieldSecretMsg = "secret_masked"
	// FieldStorm names the first report of the storm (an outage arriving
	// as separate reports) a report belongs to; see the bot's storm check.
	FieldStorm = "storm"
	// FieldStormSize is how many reports the storm had once this one
	// joined it, itself included: the next report of the storm counts on
	// from it instead of reading the whole window again.
	FieldStormSize = "storm_size"
)

// Person is someone on a chat platform. UserID is the platform's stable ID.
type Person struct {
	Platform string `json:"platform"`
	UserID   string `json:"user_id"`
	Name     string `json:"name,omitempty"`
	Contact  string `json:"contact,omitempty"`
	// Groups are the platform groups the adapter knows the person is in
	// (Slack user group IDs, Discord role IDs), so agents can be named by
	// group. Filled per event, never stored.
	Groups []string `json:"-"`
}

// Key identifies the person across the store: platform and user ID.
func (p Person) Key() string { return p.Platform + ":" + p.UserID }

// Display is the name to show, falling back to the user ID.
func (p Person) Display() string {
	if p.Name != "" {
		return p.Name
	}
	return p.UserID
}

// Place is where a conversation happens, so replies can go back there.
type Place struct {
	Platform  string `json:"platform"`
	ChannelID string `json:"channel_id"`
	ThreadID  string `json:"thread_id,omitempty"`
}

// Ticket is one incident or service request.
type Ticket struct {
	ID          int64
	Kind        Kind
	RequestType string // catalog entry name for service requests
	Status      Status
	Priority    Priority
	Impact      Level
	Urgency     Level
	Category    Category
	Summary     string
	Requester   Person
	Origin      Place // where the requester reported it; replies go there
	Fields      map[string]string
	Assignee    string // Person.Key of the agent working it, "" when unclaimed
	// Owner is the Person.Key of the tier-1 agent who keeps the ticket and
	// the requester's contact when it is escalated; "" until escalated.
	Owner      string
	Tier       int    // the tier working it now: 1, 2 or 3
	Team       string // the named team it was escalated to, if any
	Resolution string
	LinkedTo   int64 // ticket this one is merged into or part of (a major incident), 0 if none
	// Major marks a declared major incident: matching new reports are
	// linked to it and its updates reach every linked reporter.
	Major bool
	// Flags warn agents: FlagIdentity, FlagSocialEngineering.
	Flags []string
	// CSAT is the requester's satisfaction rating, 1-5; 0 when not rated.
	CSAT int
	// PausedAt is when the ticket started waiting on its requester; the
	// SLA clock stops until it moves on. Zero when not pending.
	PausedAt time.Time

	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt time.Time
	ResolvedAt      time.Time
	ResponseDue     time.Time
	ResolveDue      time.Time
}

// Ticket flags.
const (
	// FlagIdentity marks a request about another person's account: the
	// requester's identity and authority must be verified before any
	// change to that account.
	FlagIdentity = "identity-verification-required"
	// FlagSocialEngineering marks a report with social-engineering cues:
	// pressure plus claimed authority, or asking to skip verification.
	FlagSocialEngineering = "social-engineering-cues"
)

// HasFlag reports whether t carries flag.
func (t *Ticket) HasFlag(flag string) bool { return slices.Contains(t.Flags, flag) }

// Ref is how tickets are named to people: #42.
func (t *Ticket) Ref() string { return fmt.Sprintf("#%d", t.ID) }

// Validate checks what every stored ticket must have.
func (t *Ticket) Validate() error {
	switch {
	case t.Kind != KindIncident && t.Kind != KindRequest:
		return Errorf(EINVALID, "ticket kind %q is not incident or request", t.Kind)
	case !t.Status.Valid():
		return Errorf(EINVALID, "ticket status %q is unknown", t.Status)
	case !t.Priority.Valid():
		return Errorf(EINVALID, "ticket priority %d is not P1-P4", t.Priority)
	case t.Requester.UserID == "" || t.Requester.Platform == "":
		return Errorf(EINVALID, "ticket has no requester")
	case t.Summary == "":
		return Errorf(EINVALID, "ticket has no summary")
	}
	return nil
}

// TicketFilter selects tickets in FindTickets; zero fields match everything.
type TicketFilter struct {
	Requester string // Person.Key
	// Requesters selects tickets of any of these Person keys (one person
	// on several platforms).
	Requesters []string
	// Contact selects tickets whose requester's contact is this, ignoring
	// case (the same e-mail address on another platform).
	Contact  string
	Assignee string // Person.Key; "-" for unassigned
	// Workers selects tickets any of these Person keys is assigned or
	// owns (an agent's accounts: the tier-1 owner keeps an escalated
	// ticket).
	Workers  []string
	Statuses []Status // any of these
	// LinkedTo selects the tickets linked to this one (merged into it, or
	// reports of its major incident).
	LinkedTo int64
	// Unlinked leaves out tickets linked to another: the work queue.
	Unlinked bool
	// MaxTier leaves out tickets above this tier; 0 means any.
	MaxTier int
	// Major selects only major incidents.
	Major bool
	// CreatedAfter and UpdatedAfter select tickets created, or changed,
	// after these times; zero means any.
	CreatedAfter time.Time
	UpdatedAfter time.Time
	// Categories selects any of these categories.
	Categories []Category
	// AfterID selects tickets numbered above it.
	AfterID int64
	// InIDOrder returns tickets in number order, oldest first, instead
	// of newest first: with AfterID set to the last one seen, a caller
	// pages through every match, which new tickets cannot reorder (see
	// EachTicket).
	InIDOrder bool
	Limit     int // 0 means a default of 100
}

// SelfService records a report solved by a KB article without a ticket:
// the tier-0 deflection that KPIs count.
type SelfService struct {
	ID        int64
	Requester Person
	Category  Category
	Summary   string
	ArticleID string
	Offered   []string
	At        time.Time
}
