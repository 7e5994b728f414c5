-- 0002_outbox_refs: messages that edit or thread under earlier ones, the
-- platform's reference to a sent message, per-conversation order, and
-- messages the dispatcher gave up on.

ALTER TABLE outbox ADD COLUMN edit_key   TEXT NOT NULL DEFAULT ''; -- key of the message this one replaces
ALTER TABLE outbox ADD COLUMN thread_key TEXT NOT NULL DEFAULT ''; -- key of the message to thread under
ALTER TABLE outbox ADD COLUMN ref        TEXT NOT NULL DEFAULT ''; -- platform reference once sent
ALTER TABLE outbox ADD COLUMN dead_at    INTEGER;                  -- when delivery was given up
-- OutboxMessage.Lane: messages of one lane are delivered in queue order.
ALTER TABLE outbox ADD COLUMN lane       TEXT NOT NULL DEFAULT '';

UPDATE outbox SET lane = to_platform || '|' || CASE WHEN to_channel_id = '' THEN '@' || user_id ELSE to_channel_id END;

-- Waiting messages: due ones, and the "is anything earlier in my lane still
-- waiting" check. Sent and dead ones drop out.
DROP INDEX outbox_due;
CREATE INDEX outbox_waiting ON outbox (next_attempt) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_lane ON outbox (lane, id) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;
