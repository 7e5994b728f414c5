-- 0003_agents: ownership across tiers, escalation teams, warning flags and
-- major incidents.

ALTER TABLE tickets ADD COLUMN owner TEXT NOT NULL DEFAULT '';   -- tier-1 owner kept through escalation
ALTER TABLE tickets ADD COLUMN team  TEXT NOT NULL DEFAULT '';   -- named team escalated to
ALTER TABLE tickets ADD COLUMN flags TEXT NOT NULL DEFAULT '';   -- comma-separated Ticket.Flags
ALTER TABLE tickets ADD COLUMN major INTEGER NOT NULL DEFAULT 0; -- 1 for a declared major incident

-- The reporters of a major incident, and the tickets merged into one.
CREATE INDEX tickets_linked ON tickets (linked_to) WHERE linked_to IS NOT NULL;
-- Open major incidents are checked on every new report.
CREATE INDEX tickets_major ON tickets (status) WHERE major = 1;
