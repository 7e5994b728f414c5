-- 0004_kb: knowledge-base articles written at the desk, and how often every
-- article (built-in ones included) was offered, opened and marked "fixed it".

-- One row per article drafted from a ticket: the working copy agents edit,
-- and the text in search once an admin publishes it.
CREATE TABLE kb_articles (
    id                 TEXT    PRIMARY KEY,
    ticket_id          INTEGER REFERENCES tickets (id), -- drafted from; NULL when none
    markdown           TEXT    NOT NULL,                -- working copy: front matter and body
    created_by         TEXT    NOT NULL DEFAULT '',
    created_at         INTEGER,
    updated_by         TEXT    NOT NULL DEFAULT '',
    updated_at         INTEGER,
    published_markdown TEXT,                            -- NULL until first published
    published_by       TEXT    NOT NULL DEFAULT '',
    published_at       INTEGER
) STRICT, WITHOUT ROWID;

-- Counts per article and UTC day (the day's midnight, in microseconds), so
-- the weekly KB audit can look at a recent window. Article IDs are not a
-- foreign key: built-in and kb.dir articles live in files.
CREATE TABLE kb_usage (
    article_id TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    offered    INTEGER NOT NULL DEFAULT 0,
    opened     INTEGER NOT NULL DEFAULT 0,
    fixed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, day)
) STRICT, WITHOUT ROWID;
