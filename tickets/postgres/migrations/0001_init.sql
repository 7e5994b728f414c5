-- 0001_init: the help desk schema, as SQLite's migrations 0001 to 0005 leave
-- it (tickets, audit events, conversations, outbox, self-service, seen
-- events, timers, KB articles and use counts) in one step: nothing was
-- released on PostgreSQL before it.
--
-- Times are timestamptz (microseconds, read back in UTC by the store), NULL
-- for the zero time. IDs come from identity columns; tickets are closed,
-- never deleted, so a ticket number is never reused.

CREATE TABLE tickets (
    id                 BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    requester_key      TEXT    GENERATED ALWAYS AS (requester_platform || ':' || requester_user_id) STORED,
    origin_platform    TEXT    NOT NULL DEFAULT '',
    origin_channel_id  TEXT    NOT NULL DEFAULT '',
    origin_thread_id   TEXT    NOT NULL DEFAULT '',
    fields             JSONB,  -- object of string to string, NULL when empty
    assignee           TEXT    NOT NULL DEFAULT '', -- '' when unclaimed
    tier               INTEGER NOT NULL DEFAULT 0,
    resolution         TEXT    NOT NULL DEFAULT '',
    linked_to          BIGINT  REFERENCES tickets (id),
    created_at         TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ,
    first_response_at  TIMESTAMPTZ,
    resolved_at        TIMESTAMPTZ,
    response_due       TIMESTAMPTZ,
    resolve_due        TIMESTAMPTZ,
    owner              TEXT    NOT NULL DEFAULT '',    -- tier-1 owner kept through escalation
    team               TEXT    NOT NULL DEFAULT '',    -- named team escalated to
    flags              TEXT[]  NOT NULL DEFAULT '{}',  -- Ticket.Flags
    major              BOOLEAN NOT NULL DEFAULT false, -- a declared major incident
    csat               INTEGER NOT NULL DEFAULT 0,     -- 1-5, 0 when not rated
    paused_at          TIMESTAMPTZ                     -- set while pending
);

-- "My tickets" and the duplicate check look up a requester's open tickets;
-- queue views look up an agent's (or the unassigned) tickets by status.
CREATE INDEX tickets_requester_status ON tickets (requester_key, status, created_at);
CREATE INDEX tickets_assignee_status ON tickets (assignee, status, created_at);
-- The reporters of a major incident, and the tickets merged into one.
CREATE INDEX tickets_linked ON tickets (linked_to) WHERE linked_to IS NOT NULL;
-- Open major incidents are checked on every new report.
CREATE INDEX tickets_major ON tickets (status) WHERE major;

CREATE TABLE events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    at           TIMESTAMPTZ,
    actor        TEXT   NOT NULL DEFAULT '',
    kind         TEXT   NOT NULL,
    field        TEXT   NOT NULL DEFAULT '',
    before_value TEXT   NOT NULL DEFAULT '',
    after_value  TEXT   NOT NULL DEFAULT '',
    text         TEXT   NOT NULL DEFAULT ''
);

CREATE INDEX events_ticket ON events (ticket_id, at);

CREATE TABLE conversations (
    key        TEXT  PRIMARY KEY,
    state      BYTEA NOT NULL,
    updated_at TIMESTAMPTZ
);

CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key          TEXT   NOT NULL UNIQUE, -- idempotency key
    to_platform  TEXT   NOT NULL DEFAULT '',
    to_channel_id TEXT  NOT NULL DEFAULT '',
    to_thread_id TEXT   NOT NULL DEFAULT '',
    user_id      TEXT   NOT NULL DEFAULT '',
    ticket_id    BIGINT REFERENCES tickets (id), -- NULL when about no ticket
    text         TEXT   NOT NULL DEFAULT '',
    buttons      JSONB, -- array, NULL when none
    created_at   TIMESTAMPTZ NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ NOT NULL, -- also the end of a dispatcher's claim
    sent_at      TIMESTAMPTZ,
    last_error   TEXT   NOT NULL DEFAULT '',
    edit_key     TEXT   NOT NULL DEFAULT '', -- key of the message this one replaces
    thread_key   TEXT   NOT NULL DEFAULT '', -- key of the message to thread under
    ref          TEXT   NOT NULL DEFAULT '', -- platform reference once sent
    dead_at      TIMESTAMPTZ,                -- when delivery was given up
    -- OutboxMessage.Lane: messages of one lane are delivered in queue order.
    lane         TEXT   NOT NULL DEFAULT ''
);

-- Waiting messages: due ones, and the head of each lane. Sent and dead ones
-- stay for audit but drop out of these partial indexes.
CREATE INDEX outbox_waiting ON outbox (next_attempt) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_lane ON outbox (lane, id) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;

CREATE TABLE self_service (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_platform TEXT NOT NULL DEFAULT '',
    requester_user_id  TEXT NOT NULL DEFAULT '',
    requester_name     TEXT NOT NULL DEFAULT '',
    requester_contact  TEXT NOT NULL DEFAULT '',
    category           TEXT NOT NULL DEFAULT '',
    summary            TEXT NOT NULL DEFAULT '',
    article_id         TEXT NOT NULL DEFAULT '',
    offered            JSONB, -- array of article IDs, NULL when none
    at                 TIMESTAMPTZ
);

CREATE INDEX self_service_at ON self_service (at);

-- Inbound platform event IDs, so a redelivered event is handled once.
CREATE TABLE seen_events (
    id TEXT PRIMARY KEY,
    at TIMESTAMPTZ
);

CREATE INDEX seen_events_at ON seen_events (at);

-- What is due when, for the scheduler.
CREATE TABLE timers (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    kind      TEXT   NOT NULL,
    due_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (ticket_id, kind)
);

-- The sweep reads the few timers due by now from millions of tickets.
CREATE INDEX timers_due ON timers (due_at);

-- One row per article drafted from a ticket: the working copy agents edit,
-- and the text in search once an admin publishes it.
CREATE TABLE kb_articles (
    id                 TEXT   PRIMARY KEY,
    ticket_id          BIGINT REFERENCES tickets (id), -- drafted from; NULL when none
    markdown           TEXT   NOT NULL,                -- working copy: front matter and body
    created_by         TEXT   NOT NULL DEFAULT '',
    created_at         TIMESTAMPTZ,
    updated_by         TEXT   NOT NULL DEFAULT '',
    updated_at         TIMESTAMPTZ,
    published_markdown TEXT,                           -- NULL until first published
    published_by       TEXT   NOT NULL DEFAULT '',
    published_at       TIMESTAMPTZ
);

-- Counts per article and UTC day, so the weekly KB audit can look at a
-- recent window. Article IDs are not a foreign key: built-in and kb.dir
-- articles live in files.
CREATE TABLE kb_usage (
    article_id TEXT    NOT NULL,
    day        DATE    NOT NULL,
    offered    INTEGER NOT NULL DEFAULT 0,
    opened     INTEGER NOT NULL DEFAULT 0,
    fixed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, day)
);
