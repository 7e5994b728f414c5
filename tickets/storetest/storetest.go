// Package storetest is the conformance suite of tickets.Store: every
// implementation runs it from its own tests, so the bot behaves the same on
// SQLite and PostgreSQL.
//
// The contract it checks, beyond the interface documentation:
//
//   - Times read back in UTC, truncated to the microsecond (what PostgreSQL
//     keeps); the zero time reads back as the zero time.
//   - An empty Fields map, Buttons or Offered slice may read back as nil.
//   - Not found is an error with code tickets.ENOTFOUND, never nil, nil; an
//     event or outbox message on a missing ticket is ENOTFOUND too.
//   - A ticket that fails Validate, or an outbox message without a Key, is
//     refused with tickets.EINVALID and nothing is written.
//   - FindTickets orders by CreatedAt, newest first, then by ID (by ID alone,
//     oldest first, with InIDOrder); Events by At,
//     then by the order added; DueOutbox by the order queued.
//   - Enqueue with a zero Created uses the current time, and a zero
//     NextAttempt makes the message due from Created.
//   - InTx returns fn's error so errors.Is finds it, writes nothing when fn
//     fails or panics, and concurrent InTx calls queue rather than fail.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Run runs the suite. open must return a new, empty Store for each subtest;
// Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) tickets.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, tickets.Store)
	}{
		{"Ticket/CreateGet", testTicketCreateGet},
		{"Ticket/Minimal", testTicketMinimal},
		{"Ticket/Update", testTicketUpdate},
		{"Ticket/NotFound", testTicketNotFound},
		{"Ticket/Validate", testTicketValidate},
		{"Ticket/IDs", testTicketIDs},
		{"Ticket/Find", testFindTickets},
		{"Ticket/FindDefaultLimit", testFindDefaultLimit},
		{"Ticket/FindPages", testFindPages},
		{"Ticket/FindReports", testFindReports},
		{"Event/AddList", testEvents},
		{"Event/UnknownTicket", testEventUnknownTicket},
		{"Event/Move", testMoveEvent},
		{"Macros", testMacros},
		{"Event/Latest", testLatestEvents},
		{"People", testPeople},
		{"Conversation", testConversation},
		{"Outbox/RoundTrip", testOutboxRoundTrip},
		{"Outbox/Idempotent", testOutboxIdempotent},
		{"Outbox/Due", testOutboxDue},
		{"Outbox/MarkSent", testOutboxMarkSent},
		{"Outbox/MarkFailed", testOutboxMarkFailed},
		{"Outbox/Invalid", testOutboxInvalid},
		{"Outbox/Lanes", testOutboxLanes},
		{"Outbox/LaneOutbox", testLaneOutbox},
		{"Outbox/Refs", testOutboxRefs},
		{"Outbox/Dead", testOutboxDead},
		{"Outbox/Backlog", testOutboxBacklog},
		{"Outbox/Claim", testOutboxClaim},
		{"Outbox/Prune", testPruneOutbox},
		{"Outbox/EditsSupersede", testOutboxEditsSupersede},
		{"Timers", testTimers},
		{"SeenEvent", testSeenEvent},
		{"Inbox", testInbox},
		{"SelfService", testSelfService},
		{"KPI", testKPI},
		{"JobState", testJobState},
		{"JobState/InTx", testJobStateInTx},
		{"InTx/Commit", testInTxCommit},
		{"InTx/Rollback", testInTxRollback},
		{"InTx/Panic", testInTxPanic},
		{"InTx/Canceled", testInTxCanceled},
		{"InTx/Concurrent", testInTxConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// base is the suite's clock: not UTC and with nanoseconds, so that the
// stores' conversion to UTC and truncation to the microsecond are checked.
var base = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.FixedZone("CET", 3600))

// at is base plus d.
func at(d time.Duration) time.Time { return base.Add(d) }

// stored is t as a store returns it.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// opts compare what was stored with what was read back: times must be
// equal and in UTC, and empty and nil maps and slices are alike.
var opts = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }),
	cmpopts.EquateEmpty(),
}

// diff fails t when got differs from want.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, opts); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// ok fails t at once on err.
func ok(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantCode fails t unless err has the domain error code.
func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := tickets.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

// person is a Slack user of the suite.
func person(id string) tickets.Person {
	return tickets.Person{Platform: "slack", UserID: id, Name: "Name of " + id, Contact: id + "@example.com"}
}

// fullTicket has every field set, times included.
func fullTicket(requester string, created time.Time) *tickets.Ticket {
	return &tickets.Ticket{
		Kind:      tickets.KindIncident,
		Status:    tickets.StatusOpen,
		Priority:  tickets.P2,
		Impact:    tickets.High,
		Urgency:   tickets.Medium,
		Category:  tickets.CategoryNetwork,
		Summary:   "VPN drops every ten minutes",
		Requester: person(requester),
		Origin:    tickets.Place{Platform: "slack", ChannelID: "C0HELP", ThreadID: "1712345678.000100"},
		Fields: map[string]string{
			tickets.FieldDevice:  "ThinkPad X1",
			tickets.FieldSymptom: "disconnects, \"error 809\"\nthen reconnects",
			tickets.FieldSteps:   "rebooted; reinstalled the client ✓",
			"empty":              "",
		},
		Assignee:        "slack:UAGENT1",
		Owner:           "slack:UOWNER1",
		Tier:            2,
		Team:            "network",
		Flags:           []string{tickets.FlagIdentity, tickets.FlagSocialEngineering},
		CSAT:            4,
		PausedAt:        created.Add(30 * time.Minute),
		Resolution:      "",
		CreatedAt:       created,
		UpdatedAt:       created.Add(90 * time.Second),
		FirstResponseAt: created.Add(5 * time.Minute),
		ResponseDue:     created.Add(time.Hour),
		ResolveDue:      created.Add(8 * time.Hour),
	}
}

// minimalTicket has only what Validate requires.
func minimalTicket(requester string) *tickets.Ticket {
	return &tickets.Ticket{
		Kind:      tickets.KindRequest,
		Status:    tickets.StatusNew,
		Priority:  tickets.P4,
		Summary:   "new monitor",
		Requester: tickets.Person{Platform: "discord", UserID: requester},
	}
}

// storedTicket is t as a store returns it.
func storedTicket(t *tickets.Ticket) *tickets.Ticket {
	c := *t
	for _, p := range []*time.Time{&c.CreatedAt, &c.UpdatedAt, &c.FirstResponseAt,
		&c.ResolvedAt, &c.ResponseDue, &c.ResolveDue, &c.PausedAt} {
		*p = stored(*p)
	}
	return &c
}

// storedEvent is e as a store returns it.
func storedEvent(e *tickets.Event) *tickets.Event {
	c := *e
	c.At = stored(c.At)
	return &c
}

// create stores t in its own transaction.
func create(t *testing.T, s tickets.Store, tk *tickets.Ticket) *tickets.Ticket {
	t.Helper()
	ok(t, s.CreateTicket(t.Context(), tk), "CreateTicket")
	if tk.ID == 0 {
		t.Fatal("CreateTicket did not set the ID")
	}
	return tk
}

// ids lists the IDs of ts.
func ids(ts []*tickets.Ticket) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// due lists the keys of the messages due at now.
func due(t *testing.T, s tickets.Store, now time.Time) []string {
	t.Helper()
	ms, err := s.DueOutbox(t.Context(), now, 1000)
	ok(t, err, "DueOutbox")
	keys := []string{}
	for _, m := range ms {
		keys = append(keys, m.Key)
	}
	return keys
}

// message is an outbox message to the triage channel about ticket id.
func message(key string, ticketID int64, created time.Time) *tickets.OutboxMessage {
	return &tickets.OutboxMessage{
		Key:      key,
		To:       tickets.Place{Platform: "slack", ChannelID: "C0TRIAGE"},
		TicketID: ticketID,
		Text:     fmt.Sprintf("New ticket #%d", ticketID),
		Created:  created,
	}
}

// withTimeout bounds a test step that would hang if a store deadlocked.
func withTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
