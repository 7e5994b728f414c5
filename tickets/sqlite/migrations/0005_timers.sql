-- 0005_timers: what is due when, for the scheduler; satisfaction ratings;
-- when a ticket started waiting on its requester (the SLA clock's pause).

CREATE TABLE timers (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    kind      TEXT    NOT NULL,
    due_at    INTEGER NOT NULL,
    UNIQUE (ticket_id, kind)
) STRICT;

-- The sweep reads the few timers due by now from millions of tickets.
CREATE INDEX timers_due ON timers (due_at);

ALTER TABLE tickets ADD COLUMN csat      INTEGER NOT NULL DEFAULT 0; -- 1-5, 0 when not rated
ALTER TABLE tickets ADD COLUMN paused_at INTEGER;                    -- set while pending
