-- 0014_owner_index: an agent's /mine lists the tickets they are assigned to or own
-- (escalated tickets keep their tier-1 owner); without this index the owner
-- half of that OR reads every ticket.
CREATE INDEX tickets_owner_status ON tickets (owner, status, created_at);
