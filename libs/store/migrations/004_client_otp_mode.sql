-- How a RADIUS client's users enter their code: appended to the password in one Access-Request
-- ('append', the default), asked for in an Access-Challenge after the password ('challenge'), or
-- either, told apart by the typed value ('auto'). Challenge steps are recorded in the auth log.
ALTER TABLE radius_clients
  ADD COLUMN otp_mode text NOT NULL DEFAULT 'append' CHECK (otp_mode IN ('append', 'challenge', 'auto'));

ALTER TABLE auth_events DROP CONSTRAINT IF EXISTS auth_events_decision_check;
ALTER TABLE auth_events
  ADD CONSTRAINT auth_events_decision_check CHECK (decision IN ('accept', 'reject', 'challenge'));
