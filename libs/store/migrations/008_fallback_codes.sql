-- One-time codes sent by email or SMS as a fallback second factor in the challenge dialogue:
-- allowed per RADIUS client (off by default), sent to the address and number on the user record.
ALTER TABLE radius_clients
  ADD COLUMN fallback_codes boolean NOT NULL DEFAULT false;
ALTER TABLE users
  ADD COLUMN email text,
  ADD COLUMN phone text;
