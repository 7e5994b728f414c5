-- 0003_inbox: inbound platform events, recorded before the platform is
-- acknowledged and handled afterwards on a worker (tickets.Inbox).

CREATE TABLE inbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key           TEXT        NOT NULL UNIQUE, -- platform:kind:id, a redelivery has the same
    kind          TEXT        NOT NULL,        -- the adapter's handler
    lane          TEXT        NOT NULL,        -- events of one lane are handled in order
    payload       BYTEA,                       -- NULL once handled
    received_at   TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,                 -- a worker has it until then
    attempts      INTEGER     NOT NULL DEFAULT 0,
    handled_at    TIMESTAMPTZ
);

-- The unhandled events, by lane, for the claim's head-of-lane pass.
CREATE INDEX inbox_waiting ON inbox (lane, id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;
