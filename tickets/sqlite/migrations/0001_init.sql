-- 0001_init: the help desk schema.
--
-- Times are INTEGER microseconds since the Unix epoch, UTC, NULL for the zero
-- time: compact, ordered, and the same precision PostgreSQL keeps, so both
-- stores behave alike. Read one with datetime(col / 1000000, 'unixepoch').
-- Tables are STRICT so a wrong type is an error instead of a silent cast.
--
-- Indexes are few on purpose: each one is another page written by every
-- ticket created (see bench_test.go). Add one with the query that needs it.

CREATE TABLE tickets (
    -- Tickets are closed, never deleted, so the rowid alias never reuses a
    -- number (outbox keys and chat history name tickets by it) without the
    -- extra sqlite_sequence write AUTOINCREMENT costs every insert.
    id                 INTEGER PRIMARY KEY,
    kind               TEXT    NOT NULL,
    request_type       TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL,
    priority           INTEGER NOT NULL,
    impact             TEXT    NOT NULL DEFAULT '',
    urgency            TEXT    NOT NULL DEFAULT '',
    category           TEXT    NOT NULL DEFAULT '',
    summary            TEXT    NOT NULL,
    requester_platform TEXT    NOT NULL,
    requester_user_id  TEXT    NOT NULL,
    requester_name     TEXT    NOT NULL DEFAULT '',
    requester_contact  TEXT    NOT NULL DEFAULT '',
    -- Person.Key, derived so it can never disagree with its parts.
    requester_key      TEXT    GENERATED ALWAYS AS (requester_platform || ':' || requester_user_id) VIRTUAL,
    origin_platform    TEXT    NOT NULL DEFAULT '',
    origin_channel_id  TEXT    NOT NULL DEFAULT '',
    origin_thread_id   TEXT    NOT NULL DEFAULT '',
    fields             TEXT,   -- JSON object of string to string, NULL when empty
    assignee           TEXT    NOT NULL DEFAULT '', -- '' when unclaimed
    tier               INTEGER NOT NULL DEFAULT 0,
    resolution         TEXT    NOT NULL DEFAULT '',
    linked_to          INTEGER REFERENCES tickets (id),
    created_at         INTEGER,
    updated_at         INTEGER,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    response_due       INTEGER,
    resolve_due        INTEGER
) STRICT;

-- "My tickets" and the duplicate check look up a requester's open tickets;
-- queue views look up an agent's (or the unassigned) tickets by status.
CREATE INDEX tickets_requester_status ON tickets (requester_key, status, created_at);
CREATE INDEX tickets_assignee_status ON tickets (assignee, status, created_at);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    at           INTEGER,
    actor        TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    field        TEXT    NOT NULL DEFAULT '',
    before_value TEXT    NOT NULL DEFAULT '',
    after_value  TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX events_ticket ON events (ticket_id, at);

CREATE TABLE conversations (
    key        TEXT PRIMARY KEY,
    state      BLOB    NOT NULL,
    updated_at INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    key               TEXT    NOT NULL UNIQUE, -- idempotency key
    to_platform       TEXT    NOT NULL DEFAULT '',
    to_channel_id     TEXT    NOT NULL DEFAULT '',
    to_thread_id      TEXT    NOT NULL DEFAULT '',
    user_id           TEXT    NOT NULL DEFAULT '',
    ticket_id         INTEGER REFERENCES tickets (id), -- NULL when about no ticket
    text              TEXT    NOT NULL DEFAULT '',
    buttons           TEXT,   -- JSON array, NULL when none
    created_at        INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt      INTEGER NOT NULL,
    sent_at           INTEGER,
    last_error        TEXT    NOT NULL DEFAULT ''
) STRICT;

-- The dispatcher polls for undelivered messages that are due; delivered ones
-- stay for audit but drop out of this partial index.
CREATE INDEX outbox_due ON outbox (next_attempt) WHERE sent_at IS NULL;

CREATE TABLE self_service (
    id                 INTEGER PRIMARY KEY,
    requester_platform TEXT    NOT NULL DEFAULT '',
    requester_user_id  TEXT    NOT NULL DEFAULT '',
    requester_name     TEXT    NOT NULL DEFAULT '',
    requester_contact  TEXT    NOT NULL DEFAULT '',
    category           TEXT    NOT NULL DEFAULT '',
    summary            TEXT    NOT NULL DEFAULT '',
    article_id         TEXT    NOT NULL DEFAULT '',
    offered            TEXT,   -- JSON array of article IDs, NULL when none
    at                 INTEGER
) STRICT;

CREATE INDEX self_service_at ON self_service (at);

-- Inbound platform event IDs, so a redelivered event is handled once.
CREATE TABLE seen_events (
    id TEXT PRIMARY KEY,
    at INTEGER
) STRICT, WITHOUT ROWID;
