-- 0006_job_state: what a scheduled job keeps between its runs (the last
-- time slot the lockout spike alert went out for, say), by job name.

CREATE TABLE job_state (
    name       TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER -- when it was saved
) STRICT, WITHOUT ROWID;
