-- 0008_person_links: one person's accounts on several platforms, linked by
-- an admin (/link): every key of a person shares the person value.

CREATE TABLE person_links (
    key    TEXT NOT NULL PRIMARY KEY, -- PLATFORM:USER_ID
    person TEXT NOT NULL              -- the first key of the person
) STRICT, WITHOUT ROWID;

CREATE INDEX person_links_person ON person_links (person);

-- A person's tickets on another platform are found by their e-mail
-- address, whatever its case.
CREATE INDEX tickets_requester_contact ON tickets (lower(requester_contact));
