-- 0007_event_lookups: what a major incident's storm reads on every linked
-- report, found through an index instead of reading all of the incident's
-- events (issue 16: 18.7 ms a report at the 5,000th, from 1.5 ms).
--
-- A ticket's latest event ID names its state in outbox keys; its latest
-- status update is told to each new reporter. The old (ticket_id, at)
-- index gives way to (ticket_id, id): Events sorts a ticket's few events
-- by time itself, and the latest ID is the index's last entry.
DROP INDEX events_ticket;
CREATE INDEX events_ticket ON events (ticket_id, id);
CREATE INDEX events_ticket_kind ON events (ticket_id, kind, id);
