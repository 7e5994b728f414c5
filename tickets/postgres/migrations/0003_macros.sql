-- 0003_macros: canned replies agents add in chat (/macro add), and how
-- often each macro was used, for those of the config file too.

CREATE TABLE macros (
    name       TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    updated_at TIMESTAMPTZ
);

CREATE TABLE macro_uses (
    name TEXT   PRIMARY KEY,
    uses BIGINT NOT NULL
);
