package sqlstore

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// reportColumns are the columns FindReports reads, in scanReport's order:
// what comparing two reports needs, without the fields column's JSON
// (the description alone holds every message of the conversation).
func (d *Dialect) reportColumns() string {
	return `id, kind, status, category, summary, major, linked_to, created_at, ` +
		d.FieldText(tickets.FieldError) + `, ` + d.FieldText(tickets.FieldStorm)
}

// FindReports returns the tickets f matches in FindTickets' order, each
// read only as far as comparing reports needs (see tickets.Tx).
func (t *Tx) FindReports(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return t.find(ctx, f, "find reports", t.d.reportColumns(), scanReport)
}

// scanReport reads one row of reportColumns.
func scanReport(row Row) (*tickets.Ticket, error) {
	var tk tickets.Ticket
	var kind, status, category, errText, storm string
	err := row.Scan(&tk.ID, &kind, &status, &category, &tk.Summary, &tk.Major,
		idCol{&tk.LinkedTo}, timeCol{&tk.CreatedAt}, &errText, &storm)
	if err != nil {
		return nil, err
	}
	tk.Kind, tk.Status, tk.Category = tickets.Kind(kind), tickets.Status(status), tickets.Category(category)
	if errText != "" || storm != "" {
		tk.Fields = map[string]string{}
		if errText != "" {
			tk.Fields[tickets.FieldError] = errText
		}
		if storm != "" {
			tk.Fields[tickets.FieldStorm] = storm
		}
	}
	return &tk, nil
}
