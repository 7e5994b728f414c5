package storetest

import (
	"slices"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testPeople checks that keys linked as one person are found from any of
// them, that linking two linked groups joins them, that a key leaves with
// UnlinkPerson, and that tickets are found by any of a person's keys or by
// their contact, whatever its case.
func testPeople(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	keys := func(key string) []string {
		t.Helper()
		got, err := s.LinkedKeys(ctx, key)
		ok(t, err, "LinkedKeys")
		return got
	}
	diff(t, "a key with no links", []string{"slack:U1"}, keys("slack:U1"))
	ok(t, s.LinkPeople(ctx, "slack:U1", "discord:42"), "LinkPeople")
	diff(t, "from slack", []string{"slack:U1", "discord:42"}, keys("slack:U1"))
	diff(t, "from discord", []string{"discord:42", "slack:U1"}, keys("discord:42"))
	ok(t, s.LinkPeople(ctx, "console:amy", "teams:7"), "LinkPeople")
	ok(t, s.LinkPeople(ctx, "teams:7", "discord:42"), "LinkPeople of two groups")
	got := keys("slack:U1")
	slices.Sort(got)
	diff(t, "joined", []string{"console:amy", "discord:42", "slack:U1", "teams:7"}, got)
	ok(t, s.LinkPeople(ctx, "slack:U1", "discord:42"), "LinkPeople again")
	wantCode(t, s.LinkPeople(ctx, "slack:U1", "slack:U1"), tickets.EINVALID, "LinkPeople of one key")
	ok(t, s.UnlinkPerson(ctx, "discord:42"), "UnlinkPerson")
	diff(t, "unlinked", []string{"discord:42"}, keys("discord:42"))
	wantCode(t, s.UnlinkPerson(ctx, "discord:42"), tickets.ENOTFOUND, "UnlinkPerson twice")
	// The key the others were linked under leaves: they stay together.
	ok(t, s.UnlinkPerson(ctx, "slack:U1"), "UnlinkPerson of the first key")
	diff(t, "the first key alone", []string{"slack:U1"}, keys("slack:U1"))
	diff(t, "the rest together", []string{"teams:7", "console:amy"}, keys("teams:7"))

	a := fullTicket("UA", base)
	a.Requester.Contact = "Amy@Example.com"
	b := minimalTicket("99")
	b.Requester.Contact = "amy@example.com"
	c := fullTicket("UC", base)
	for _, tk := range []*tickets.Ticket{a, b, c} {
		create(t, s, tk)
	}
	ids := func(f tickets.TicketFilter) []int64 {
		t.Helper()
		ts, err := s.FindTickets(ctx, f)
		ok(t, err, "FindTickets")
		var out []int64
		for _, tk := range ts {
			out = append(out, tk.ID)
		}
		slices.Sort(out)
		return out
	}
	want := []int64{a.ID, b.ID}
	slices.Sort(want)
	diff(t, "by requesters", want, ids(tickets.TicketFilter{Requesters: []string{a.Requester.Key(), b.Requester.Key()}}))
	diff(t, "by contact", want, ids(tickets.TicketFilter{Contact: "AMY@example.COM"}))
}
