package storetest

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// digest is the part of tk that FindReports reads.
func digest(tk *tickets.Ticket) *tickets.Ticket {
	d := &tickets.Ticket{ID: tk.ID, Kind: tk.Kind, Status: tk.Status, Category: tk.Category, Summary: tk.Summary,
		Major: tk.Major, LinkedTo: tk.LinkedTo, CreatedAt: tk.CreatedAt}
	for _, k := range []string{tickets.FieldError, tickets.FieldStorm, tickets.FieldStormSize} {
		if v := tk.Fields[k]; v != "" {
			if d.Fields == nil {
				d.Fields = map[string]string{}
			}
			d.Fields[k] = v
		}
	}
	return d
}

// testFindReports checks that FindReports selects and orders as
// FindTickets does, and reads of each ticket exactly its digest: the
// error and storm fields, none of the others (the description).
func testFindReports(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	mk := func(created time.Duration, change func(*tickets.Ticket)) int64 {
		tk := fullTicket("alice", at(created))
		tk.Fields["description"] = "it dropped again\nand again"
		change(tk)
		return create(t, s, tk).ID
	}
	plain := mk(1*time.Minute, func(*tickets.Ticket) {})
	withErr := mk(2*time.Minute, func(tk *tickets.Ticket) {
		tk.Fields[tickets.FieldError] = "Error 809: the network connection timed out"
		tk.Category, tk.Summary = tickets.CategoryEmail, "Outlook says error 809"
	})
	inStorm := mk(3*time.Minute, func(tk *tickets.Ticket) {
		tk.Fields[tickets.FieldError], tk.Fields[tickets.FieldStorm] = "809 'quoted' \"twice\" ✓", "12"
		tk.Fields[tickets.FieldStormSize] = "7"
		tk.Status, tk.Kind = tickets.StatusNew, tickets.KindRequest
	})
	noFields := mk(1*time.Minute, func(tk *tickets.Ticket) { tk.Fields = nil; tk.Major = true })
	linked := mk(4*time.Minute, func(tk *tickets.Ticket) { tk.LinkedTo = noFields })
	closed := mk(5*time.Minute, func(tk *tickets.Ticket) { tk.Status = tickets.StatusClosed })

	active := []tickets.Status{tickets.StatusNew, tickets.StatusOpen, tickets.StatusPending, tickets.StatusEscalated}
	for _, tc := range []struct {
		name string
		f    tickets.TicketFilter
		want []int64
	}{
		{"all", tickets.TicketFilter{}, []int64{closed, linked, inStorm, withErr, noFields, plain}},
		{"the storm check's", tickets.TicketFilter{CreatedAfter: at(90 * time.Second), Statuses: active, Unlinked: true},
			[]int64{inStorm, withErr}},
		{"active and unlinked", tickets.TicketFilter{Statuses: active, Unlinked: true}, []int64{inStorm, withErr, noFields, plain}},
		{"limit", tickets.TicketFilter{Statuses: active, Unlinked: true, Limit: 3}, []int64{inStorm, withErr, noFields}},
		{"in ID order", tickets.TicketFilter{InIDOrder: true, AfterID: withErr}, []int64{inStorm, noFields, linked, closed}},
	} {
		got, err := s.FindReports(ctx, tc.f)
		ok(t, err, "FindReports "+tc.name)
		diff(t, "FindReports "+tc.name, tc.want, ids(got))
		whole, err := s.FindTickets(ctx, tc.f)
		ok(t, err, "FindTickets "+tc.name)
		want := make([]*tickets.Ticket, len(whole))
		for i, tk := range whole {
			want[i] = digest(tk)
		}
		diff(t, "FindReports "+tc.name+" digests", want, got)
	}

	// The same inside a transaction, where the storm check reads them.
	ok(t, s.InTx(ctx, func(tx tickets.Tx) error {
		got, err := tx.FindReports(ctx, tickets.TicketFilter{Limit: 1})
		if err != nil {
			return err
		}
		diff(t, "FindReports in a transaction", []int64{closed}, ids(got))
		return nil
	}), "InTx")
}
