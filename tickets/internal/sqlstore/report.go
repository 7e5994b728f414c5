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
		d.FieldText(tickets.FieldError) + `, ` + d.FieldText(tickets.FieldStorm) + `, ` + d.FieldText(tickets.FieldStormSize)
}

// FindReports returns the tickets f matches in FindTickets' order, each
// read only as far as comparing reports needs (see tickets.Tx).
func (t *Tx) FindReports(ctx context.Context, f tickets.TicketFilter) ([]*tickets.Ticket, error) {
	return t.find(ctx, f, "find reports", t.d.reportColumns(), scanReport)
}

// scanReport reads one row of reportColumns.
func scanReport(row Row) (*tickets.Ticket, error) {
	var tk tickets.Ticket
	var kind, status, category, errText, storm, size string
	err := row.Scan(&tk.ID, &kind, &status, &category, &tk.Summary, &tk.Major,
		idCol{&tk.LinkedTo}, timeCol{&tk.CreatedAt}, &errText, &storm, &size)
	if err != nil {
		return nil, err
	}
	tk.Kind, tk.Status, tk.Category = tickets.Kind(kind), tickets.Status(status), tickets.Category(category)
	for k, v := range map[string]string{tickets.FieldError: errText, tickets.FieldStorm: storm, tickets.FieldStormSize: size} {
		if v == "" {
			continue
		}
		if tk.Fields == nil {
			tk.Fields = map[string]string{}
		}
		tk.Fields[k] = v
	}
	return &tk, nil
}
