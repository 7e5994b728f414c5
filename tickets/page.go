package tickets

import "context"

// Finder is what EachTicket reads through: a Tx or a Store.
type Finder interface {
	FindTickets(ctx context.Context, f TicketFilter) ([]*Ticket, error)
}

// pageSize is how many tickets EachTicket reads at a time: enough that a
// storm's 5,000 reports take ten reads, few enough to hold in memory.
const pageSize = 500

// EachTicket calls fn for every ticket f selects, in number order, reading
// them a page at a time (f.AfterID, f.InIDOrder and f.Limit are its own), so a list has
// no cap: a broadcast reaches every affected person, a resolution resolves
// every linked report. It stops at fn's first error and returns it.
func EachTicket(ctx context.Context, q Finder, f TicketFilter, fn func(*Ticket) error) error {
	f.AfterID, f.InIDOrder, f.Limit = 0, true, pageSize
	for {
		page, err := q.FindTickets(ctx, f)
		if err != nil {
			return err
		}
		for _, t := range page {
			if err := fn(t); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.AfterID = page[len(page)-1].ID
	}
}
