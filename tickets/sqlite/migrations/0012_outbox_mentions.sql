-- 0009_outbox_mentions: the people a message mentions, so they are
-- notified where it is posted (an unclaimed P1's alert in the triage
-- thread, say): platform user IDs separated by spaces, '' for none.

ALTER TABLE outbox ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
