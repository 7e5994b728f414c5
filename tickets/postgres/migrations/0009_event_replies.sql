-- 0009_event_replies: what the desk answered to an inbound event, written
-- in the transaction that recorded the event as seen, so handling the
-- event again after a crash (the answer not yet posted) sends the same
-- answer instead of nothing. Opaque to the store (the desk's JSON); NULL
-- when the event was answered with nothing.

ALTER TABLE seen_events ADD COLUMN replies BYTEA;
