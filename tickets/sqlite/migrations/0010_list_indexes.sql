-- 0008_list_indexes: every list an agent or a job reads finds its rows
-- through an index, so it costs the same with a million tickets stored as
-- with a thousand (issue 16: /queue scanned the whole table, 369 ms at 1M).
--
-- The work queue (/queue, the manager summary's open tickets): active
-- tickets not linked to another, newest first, read until the page is
-- full. Closed and linked tickets, nearly all of them after a few years,
-- are not in it. FindTickets writes its condition exactly so (see
-- activeStatuses in tickets/internal/sqlstore): a database uses a partial
-- index only when it can prove the query's condition implies the index's.
CREATE INDEX tickets_queue ON tickets (created_at, id)
    WHERE linked_to IS NULL AND status IN ('escalated', 'new', 'open', 'pending');
-- The jobs' windows: tickets created since (the KB audit, the lockout
-- spike check every 15 minutes) and changed since (the manager summary).
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_updated ON tickets (updated_at);
