-- The replay guard remembers which RADIUS request claimed the last step, so that the same request,
-- re-run after a crash within the retransmission window, is not refused as a replay of itself.
ALTER TABLE totp_tokens
  ADD COLUMN last_request_key text,
  ADD COLUMN last_claimed_at timestamptz;
