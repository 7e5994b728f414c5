package sqlstore

import (
	"context"
	"time"
)

// pruneBatch is how many outbox rows PruneOutbox deletes in one statement,
// so a prune of months of messages never holds the write lock long.
const pruneBatch = 1000

// PruneOutbox deletes the outbox messages finished (sent or given up)
// before before whose ticket was closed before it too, or that are about
// no ticket, and returns how many. It walks the outbox in ID order, a
// batch at a time; messages of open tickets stay, as their card and
// thread are still edited and answered.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	cutoff := s.d.Time(before)
	var after int64
	total := 0
	// The same conditions select a batch and delete it: a ticket reopened
	// meanwhile keeps its messages.
	const prunable = `o.created_at < $3 AND (o.sent_at < $3 OR o.dead_at < $3)
		AND (o.ticket_id IS NULL OR EXISTS (SELECT 1 FROM tickets t
			WHERE t.id = o.ticket_id AND t.status = 'closed' AND t.updated_at < $3))`
	for {
		var first, last, n int64
		err := s.read.QueryRow(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*) FROM (
			SELECT o.id FROM outbox o WHERE o.id > $1 AND `+prunable+`
			ORDER BY o.id LIMIT $2) batch`, after, int64(pruneBatch), cutoff).Scan(&first, &last, &n)
		if err != nil {
			return total, s.d.wrap("prune outbox", err)
		}
		if n == 0 {
			return total, nil
		}
		deleted, err := s.write.Exec(ctx, `DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o
			WHERE o.id >= $1 AND o.id <= $2 AND `+prunable+`)`, first, last, cutoff)
		if err != nil {
			return total, s.d.wrap("prune outbox", err)
		}
		total += int(deleted)
		if n < pruneBatch {
			return total, nil
		}
		after = last
	}
}
