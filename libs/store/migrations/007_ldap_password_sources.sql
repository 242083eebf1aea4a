-- The directories a RADIUS client's passwords are checked against, in order: 'entra' (ROPC) and
-- 'ldap' (a search and a bind). The next one is asked only when the one before is unavailable.
ALTER TABLE radius_clients
  ADD COLUMN password_sources jsonb NOT NULL DEFAULT '["entra"]'::jsonb;
