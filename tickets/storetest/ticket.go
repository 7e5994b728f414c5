package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func testTicketCreateGet(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	want := create(t, s, fullTicket("U1", base))
	got, err := s.Ticket(ctx, want.ID)
	ok(t, err, "Ticket")
	diff(t, "ticket", storedTicket(want), got)
	for _, tm := range []time.Time{got.CreatedAt, got.UpdatedAt, got.ResponseDue} {
		if tm.Location() != time.UTC {
			t.Errorf("time %v is in %v, want UTC", tm, tm.Location())
		}
	}
}

func testTicketMinimal(t *testing.T, s tickets.Store) {
	want := create(t, s, minimalTicket("D1"))
	got, err := s.Ticket(t.Context(), want.ID)
	ok(t, err, "Ticket")
	diff(t, "ticket", storedTicket(want), got)
	if !got.CreatedAt.IsZero() || !got.ResolvedAt.IsZero() {
		t.Errorf("zero times read back as %v, %v", got.CreatedAt, got.ResolvedAt)
	}
}

func testTicketUpdate(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	other := create(t, s, fullTicket("U2", base))
	tk := create(t, s, fullTicket("U1", at(time.Second)))

	tk.Kind = tickets.KindRequest
	tk.RequestType = "software install"
	tk.Status = tickets.StatusResolved
	tk.Priority = tickets.P1
	tk.Impact, tk.Urgency = tickets.Low, tickets.High
	tk.Category = tickets.CategorySoftware
	tk.Summary = "Install Figma"
	tk.Requester = tickets.Person{Platform: "discord", UserID: "D9", Name: "Grace", Contact: "+1 555 0100"}
	tk.Origin = tickets.Place{Platform: "discord", ChannelID: "9001"}
	tk.Fields = map[string]string{"software": "Figma", "licence": "team"}
	tk.Assignee = "discord:D7"
	tk.Tier = 3
	tk.Resolution = "Installed from the catalog."
	tk.LinkedTo = other.ID
	tk.CreatedAt = at(2 * time.Second)
	tk.UpdatedAt = at(time.Hour + 123*time.Nanosecond)
	tk.FirstResponseAt = at(time.Minute)
	tk.ResolvedAt = at(time.Hour)
	tk.ResponseDue = at(15 * time.Minute)
	tk.ResolveDue = at(4 * time.Hour)
	ok(t, s.UpdateTicket(ctx, tk), "UpdateTicket")

	got, err := s.Ticket(ctx, tk.ID)
	ok(t, err, "Ticket")
	diff(t, "updated ticket", storedTicket(tk), got)

	// Clearing fields stores the zero values.
	tk.Fields, tk.Assignee, tk.LinkedTo, tk.ResolvedAt = nil, "", 0, time.Time{}
	ok(t, s.UpdateTicket(ctx, tk), "UpdateTicket")
	got, err = s.Ticket(ctx, tk.ID)
	ok(t, err, "Ticket")
	diff(t, "cleared ticket", storedTicket(tk), got)

	gotOther, err := s.Ticket(ctx, other.ID)
	ok(t, err, "Ticket")
	diff(t, "other ticket", storedTicket(other), gotOther)
}

func testTicketNotFound(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	got, err := s.Ticket(ctx, 424242)
	if got != nil {
		t.Errorf("Ticket of a missing ID returned %+v", got)
	}
	wantCode(t, err, tickets.ENOTFOUND, "Ticket")

	tk := fullTicket("U1", base)
	tk.ID = 424242
	wantCode(t, s.UpdateTicket(ctx, tk), tickets.ENOTFOUND, "UpdateTicket")

	err = s.InTx(ctx, func(tx tickets.Tx) error {
		got, err := tx.Ticket(ctx, 424242)
		if got != nil {
			t.Errorf("tx.Ticket of a missing ID returned %+v", got)
		}
		return err
	})
	wantCode(t, err, tickets.ENOTFOUND, "tx.Ticket")
}

func testTicketValidate(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	for name, breakIt := range map[string]func(*tickets.Ticket){
		"kind":      func(t *tickets.Ticket) { t.Kind = "" },
		"status":    func(t *tickets.Ticket) { t.Status = "done" },
		"priority":  func(t *tickets.Ticket) { t.Priority = 0 },
		"requester": func(t *tickets.Ticket) { t.Requester.UserID = "" },
		"summary":   func(t *tickets.Ticket) { t.Summary = "" },
	} {
		tk := fullTicket("U1", base)
		breakIt(tk)
		wantCode(t, s.CreateTicket(ctx, tk), tickets.EINVALID, "CreateTicket without "+name)
	}
	all, err := s.FindTickets(ctx, tickets.TicketFilter{})
	ok(t, err, "FindTickets")
	if len(all) != 0 {
		t.Fatalf("invalid tickets were stored: %v", ids(all))
	}

	tk := create(t, s, fullTicket("U1", base))
	want := storedTicket(tk)
	tk.Summary = ""
	wantCode(t, s.UpdateTicket(ctx, tk), tickets.EINVALID, "UpdateTicket without summary")
	got, err := s.Ticket(ctx, tk.ID)
	ok(t, err, "Ticket")
	diff(t, "ticket after refused update", want, got)
}

func testTicketIDs(t *testing.T, s tickets.Store) {
	var last int64
	for i := range 5 {
		tk := create(t, s, minimalTicket(fmt.Sprint("D", i)))
		if tk.ID <= last {
			t.Errorf("ticket %d got ID %d after %d", i, tk.ID, last)
		}
		last = tk.ID
	}
}

func testFindTickets(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	mk := func(req, assignee string, st tickets.Status, created time.Duration) int64 {
		tk := fullTicket(req, at(created))
		tk.Assignee, tk.Status = assignee, st
		return create(t, s, tk).ID
	}
	// Created out of time order, so newest first cannot be ID order alone.
	a1 := mk("alice", "slack:AG1", tickets.StatusOpen, 3*time.Minute)
	a2 := mk("alice", "", tickets.StatusNew, 1*time.Minute)
	a3 := mk("alice", "slack:AG2", tickets.StatusResolved, 2*time.Minute)
	b1 := mk("bob", "slack:AG1", tickets.StatusPending, 4*time.Minute)
	b2 := mk("bob", "", tickets.StatusNew, 1*time.Minute) // same time as a2: ID breaks the tie
	b3 := mk("bob", "slack:AG1", tickets.StatusClosed, 5*time.Minute)
	// Tiers, links and a major incident for the filters that select them.
	for _, ch := range []struct {
		id     int64
		change func(*tickets.Ticket)
	}{
		{a1, func(tk *tickets.Ticket) { tk.Major = true }},
		{b1, func(tk *tickets.Ticket) { tk.LinkedTo, tk.Tier = a1, 1 }},
		{b2, func(tk *tickets.Ticket) { tk.LinkedTo = a1 }},
		{b3, func(tk *tickets.Ticket) { tk.Tier = 1 }},
		{a3, func(tk *tickets.Ticket) { tk.Owner = "slack:AG1" }},
	} {
		tk, err := s.Ticket(ctx, ch.id)
		ok(t, err, "Ticket")
		ch.change(tk)
		ok(t, s.UpdateTicket(ctx, tk), "UpdateTicket")
	}

	alice, bob := person("alice").Key(), person("bob").Key()
	for _, tc := range []struct {
		name string
		f    tickets.TicketFilter
		want []int64
	}{
		{"all", tickets.TicketFilter{}, []int64{b3, b1, a1, a3, b2, a2}},
		{"requester", tickets.TicketFilter{Requester: alice}, []int64{a1, a3, a2}},
		{"unknown requester", tickets.TicketFilter{Requester: "slack:nobody"}, []int64{}},
		{"assignee", tickets.TicketFilter{Assignee: "slack:AG1"}, []int64{b3, b1, a1}},
		{"unassigned", tickets.TicketFilter{Assignee: "-"}, []int64{b2, a2}},
		{"worker: assigned or owner", tickets.TicketFilter{Workers: []string{"slack:AG1"}}, []int64{b3, b1, a1, a3}},
		{"workers: any of them", tickets.TicketFilter{Workers: []string{"slack:AG2", "discord:AG1"}}, []int64{a3}},
		{"worker and status", tickets.TicketFilter{Workers: []string{"slack:AG1"}, Statuses: []tickets.Status{tickets.StatusResolved}}, []int64{a3}},
		{"status", tickets.TicketFilter{Statuses: []tickets.Status{tickets.StatusNew}}, []int64{b2, a2}},
		{"statuses", tickets.TicketFilter{Statuses: []tickets.Status{tickets.StatusOpen, tickets.StatusPending,
			tickets.StatusResolved}}, []int64{b1, a1, a3}},
		{"requester and statuses", tickets.TicketFilter{Requester: bob,
			Statuses: []tickets.Status{tickets.StatusNew, tickets.StatusClosed}}, []int64{b3, b2}},
		{"assignee and status", tickets.TicketFilter{Assignee: "slack:AG1",
			Statuses: []tickets.Status{tickets.StatusOpen}}, []int64{a1}},
		{"requester and unassigned", tickets.TicketFilter{Requester: alice, Assignee: "-"}, []int64{a2}},
		{"limit", tickets.TicketFilter{Limit: 2}, []int64{b3, b1}},
		{"requester and limit", tickets.TicketFilter{Requester: alice, Limit: 1}, []int64{a1}},
		{"max tier", tickets.TicketFilter{MaxTier: 1}, []int64{b3, b1}},
		{"active", tickets.TicketFilter{Statuses: []tickets.Status{tickets.StatusPending, tickets.StatusNew,
			tickets.StatusEscalated, tickets.StatusOpen}}, []int64{b1, a1, b2, a2}},
		{"active and unlinked (the queue)", tickets.TicketFilter{Unlinked: true, Statuses: []tickets.Status{tickets.StatusNew,
			tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated}}, []int64{a1, a2}},
		{"linked to", tickets.TicketFilter{LinkedTo: a1}, []int64{b1, b2}},
		{"unlinked", tickets.TicketFilter{Unlinked: true}, []int64{b3, a1, a3, a2}},
		{"major", tickets.TicketFilter{Major: true}, []int64{a1}},
		{"major and status", tickets.TicketFilter{Major: true, Statuses: []tickets.Status{tickets.StatusNew}}, []int64{}},
		{"created after", tickets.TicketFilter{CreatedAfter: at(3 * time.Minute)}, []int64{b3, b1}},
		{"updated after", tickets.TicketFilter{UpdatedAfter: at(5 * time.Minute)}, []int64{b3, b1}},
		{"updated after, later", tickets.TicketFilter{UpdatedAfter: at(6 * time.Minute)}, []int64{b3}},
		{"category", tickets.TicketFilter{Categories: []tickets.Category{tickets.CategoryNetwork}}, []int64{b3, b1, a1, a3, b2, a2}},
		{"other category", tickets.TicketFilter{Categories: []tickets.Category{tickets.CategoryEmail, tickets.CategoryPrinting}}, []int64{}},
	} {
		got, err := s.FindTickets(ctx, tc.f)
		ok(t, err, "FindTickets "+tc.name)
		diff(t, "FindTickets "+tc.name, tc.want, ids(got))
		if tc.f.Limit == 0 {
			n, err := s.CountTickets(ctx, tc.f)
			ok(t, err, "CountTickets "+tc.name)
			if n != len(tc.want) {
				t.Errorf("CountTickets %s = %d, want %d", tc.name, n, len(tc.want))
			}
		}
	}

	// Found tickets are whole.
	got, err := s.FindTickets(ctx, tickets.TicketFilter{Requester: alice, Limit: 1})
	ok(t, err, "FindTickets")
	want, err := s.Ticket(ctx, a1)
	ok(t, err, "Ticket")
	diff(t, "found ticket", []*tickets.Ticket{want}, got)
}

func testFindDefaultLimit(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		for i := range 105 {
			if err := tx.CreateTicket(ctx, minimalTicket(fmt.Sprint("D", i))); err != nil {
				return err
			}
		}
		return nil
	})
	ok(t, err, "InTx")
	got, err := s.FindTickets(ctx, tickets.TicketFilter{})
	ok(t, err, "FindTickets")
	if len(got) != 100 {
		t.Errorf("FindTickets without a limit returned %d tickets, want 100", len(got))
	}
}

func testEvents(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	tk := create(t, s, fullTicket("U1", base))
	other := create(t, s, fullTicket("U2", base))
	evs := []*tickets.Event{
		{TicketID: tk.ID, At: at(0), Actor: "bot", Kind: tickets.EventCreated},
		{TicketID: tk.ID, At: at(time.Minute), Actor: "slack:AG1", Kind: tickets.EventStatus,
			Before: "new", After: "open"},
		{TicketID: other.ID, At: at(time.Minute), Actor: "bot", Kind: tickets.EventCreated},
		{TicketID: tk.ID, At: at(time.Minute), Actor: "slack:AG1", Kind: tickets.EventNote,
			Text: "checked the VPN logs\nnothing odd ✓"},
		{TicketID: tk.ID, At: at(2 * time.Minute), Actor: "slack:AG1", Kind: tickets.EventField,
			Field: tickets.FieldDevice, Before: "laptop", After: "ThinkPad X1"},
	}
	seen := map[int64]bool{}
	for _, e := range evs {
		ok(t, s.AddEvent(ctx, e), "AddEvent")
		if e.ID == 0 || seen[e.ID] {
			t.Fatalf("AddEvent set ID %d, want a new non-zero ID", e.ID)
		}
		seen[e.ID] = true
	}
	got, err := s.Events(ctx, tk.ID)
	ok(t, err, "Events")
	diff(t, "events", []*tickets.Event{storedEvent(evs[0]), storedEvent(evs[1]), storedEvent(evs[3]),
		storedEvent(evs[4])}, got)

	got, err = s.Events(ctx, other.ID)
	ok(t, err, "Events")
	diff(t, "other ticket's events", []*tickets.Event{storedEvent(evs[2])}, got)

	quiet := create(t, s, minimalTicket("D1"))
	got, err = s.Events(ctx, quiet.ID)
	ok(t, err, "Events")
	if len(got) != 0 {
		t.Errorf("ticket without events has %d", len(got))
	}
}

func testMoveEvent(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	from := create(t, s, fullTicket("U1", base))
	to := create(t, s, fullTicket("U1", base))
	stay := &tickets.Event{TicketID: from.ID, At: at(0), Actor: "bot", Kind: tickets.EventCreated}
	move := &tickets.Event{TicketID: from.ID, At: at(time.Minute), Actor: "slack:U1", Kind: tickets.EventComment, Text: "the screen flickers too"}
	for _, e := range []*tickets.Event{stay, move} {
		ok(t, s.AddEvent(ctx, e), "AddEvent")
	}
	ok(t, s.MoveEvent(ctx, move.ID, to.ID), "MoveEvent")
	got, err := s.Events(ctx, from.ID)
	ok(t, err, "Events")
	diff(t, "events left", []*tickets.Event{storedEvent(stay)}, got)
	got, err = s.Events(ctx, to.ID)
	ok(t, err, "Events")
	moved := *move
	moved.TicketID = to.ID
	diff(t, "events moved", []*tickets.Event{storedEvent(&moved)}, got)

	wantCode(t, s.MoveEvent(ctx, 424242, to.ID), tickets.ENOTFOUND, "MoveEvent of a missing event")
	wantCode(t, s.MoveEvent(ctx, move.ID, 424242), tickets.ENOTFOUND, "MoveEvent to a missing ticket")
}

func testEventUnknownTicket(t *testing.T, s tickets.Store) {
	err := s.AddEvent(t.Context(), &tickets.Event{TicketID: 424242, At: base, Actor: "bot", Kind: tickets.EventNote})
	wantCode(t, err, tickets.ENOTFOUND, "AddEvent on a missing ticket")
}

// testFindPages pages through more tickets than one page holds: each once,
// in number order, with filters kept and no cap.
func testFindPages(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	var major int64
	const n = 1203
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		m := minimalTicket("M")
		if err := tx.CreateTicket(ctx, m); err != nil {
			return err
		}
		major = m.ID
		for i := range n + 10 {
			tk := minimalTicket(fmt.Sprint("P", i))
			if i < n {
				tk.LinkedTo = major // ten unlinked ones mixed in after
			}
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	ok(t, err, "InTx")

	got, err := s.FindTickets(ctx, tickets.TicketFilter{LinkedTo: major, AfterID: major + 5, InIDOrder: true, Limit: 3})
	ok(t, err, "FindTickets after an ID")
	diff(t, "page after an ID", []int64{major + 6, major + 7, major + 8}, ids(got))
	got, err = s.FindTickets(ctx, tickets.TicketFilter{LinkedTo: major, AfterID: major + n - 2})
	ok(t, err, "FindTickets after an ID, newest first")
	diff(t, "after an ID, newest first", []int64{major + n, major + n - 1}, ids(got))

	var seen []int64
	err = tickets.EachTicket(ctx, s, tickets.TicketFilter{LinkedTo: major, Limit: 7}, func(tk *tickets.Ticket) error {
		seen = append(seen, tk.ID)
		return nil
	})
	ok(t, err, "EachTicket")
	if len(seen) != n {
		t.Fatalf("EachTicket saw %d linked tickets, want all %d", len(seen), n)
	}
	for i, id := range seen {
		if id != major+1+int64(i) {
			t.Fatalf("EachTicket's %dth ticket is #%d, want #%d: each once, in number order", i, id, major+1+int64(i))
		}
	}
	// Inside a transaction too, and fn's error stops it.
	stop := fmt.Errorf("enough")
	calls := 0
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		return tickets.EachTicket(ctx, tx, tickets.TicketFilter{LinkedTo: major}, func(*tickets.Ticket) error {
			calls++
			if calls == 600 {
				return stop
			}
			return nil
		})
	})
	if !errors.Is(err, stop) || calls != 600 {
		t.Errorf("EachTicket in a transaction: %d calls, error %v; want it to stop at fn's error", calls, err)
	}
}

// testLatestEvents finds a ticket's last event, and its last of a kind,
// without reading the others.
func testLatestEvents(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	tk := create(t, s, fullTicket("U1", base))
	other := create(t, s, fullTicket("U2", base))
	id, err := s.LastEventID(ctx, tk.ID)
	ok(t, err, "LastEventID")
	if id != 0 {
		t.Errorf("LastEventID of a ticket without events = %d, want 0", id)
	}
	_, err = s.LatestEvent(ctx, tk.ID, tickets.EventUpdate)
	wantCode(t, err, tickets.ENOTFOUND, "LatestEvent of a kind the ticket has none of")

	add := func(tid int64, kind tickets.EventKind, text string, d time.Duration) *tickets.Event {
		e := &tickets.Event{TicketID: tid, At: at(d), Actor: "bot", Kind: kind, Text: text}
		ok(t, s.AddEvent(ctx, e), "AddEvent")
		return e
	}
	add(tk.ID, tickets.EventUpdate, "first", time.Minute)
	upd := add(tk.ID, tickets.EventUpdate, "second", 2*time.Minute)
	// Added later with an earlier time (a clock set back): still the last.
	last := add(tk.ID, tickets.EventLinked, "", 0)
	add(other.ID, tickets.EventUpdate, "other ticket", 3*time.Minute)

	id, err = s.LastEventID(ctx, tk.ID)
	ok(t, err, "LastEventID")
	if id != last.ID {
		t.Errorf("LastEventID = %d, want %d, the event added last", id, last.ID)
	}
	got, err := s.LatestEvent(ctx, tk.ID, tickets.EventUpdate)
	ok(t, err, "LatestEvent")
	diff(t, "latest update", storedEvent(upd), got)
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		newer := &tickets.Event{TicketID: tk.ID, At: at(time.Hour), Actor: "bot", Kind: tickets.EventUpdate, Text: "third"}
		if err := tx.AddEvent(ctx, newer); err != nil {
			return err
		}
		got, err := tx.LatestEvent(ctx, tk.ID, tickets.EventUpdate)
		if err != nil {
			return err
		}
		if got.Text != "third" {
			t.Errorf("LatestEvent in the transaction that added one = %q, want third", got.Text)
		}
		id, err := tx.LastEventID(ctx, tk.ID)
		if err == nil && id != newer.ID {
			t.Errorf("LastEventID in the transaction = %d, want %d", id, newer.ID)
		}
		return err
	})
	ok(t, err, "InTx")
}
