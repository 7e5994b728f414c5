-- 0001_inbox: inbound platform events, recorded before the platform is
-- acknowledged and handled afterwards on a worker (tickets.Inbox). The
-- same table as the main database's migration 0008, in a file of its own
-- so that recording an event never queues behind the desk's write
-- transactions on SQLite's single writer.

CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE, -- platform:kind:id, a redelivery has the same
    kind          TEXT    NOT NULL,        -- the adapter's handler
    lane          TEXT    NOT NULL,        -- events of one lane are handled in order
    payload       BLOB,                    -- NULL once handled
    received_at   INTEGER NOT NULL,
    claimed_until INTEGER,                 -- a worker has it until then
    attempts      INTEGER NOT NULL DEFAULT 0,
    handled_at    INTEGER
) STRICT;

-- The unhandled events, by lane, for the claim's head-of-lane pass.
CREATE INDEX inbox_waiting ON inbox (lane, id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;
