-- Self-service enrolment: a token the enrolment portal made but whose first code has not been
-- confirmed yet lives here, apart from totp_tokens, so the RADIUS path (which reads totp_tokens
-- only) cannot see it. A first code moves it to totp_tokens in one transaction.
CREATE TABLE pending_totp_tokens (
  upn           text PRIMARY KEY REFERENCES users(upn) ON DELETE CASCADE,
  secret_sealed text NOT NULL,                   -- base32 seed, sealed with context 'totp-pending:<upn>'
  digits        smallint NOT NULL CHECK (digits IN (6, 8)),
  period        smallint NOT NULL CHECK (period IN (30, 60)),
  algorithm     text NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
  session_key   text NOT NULL,                   -- the state-store key of the portal session that made it
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX pending_totp_tokens_expires ON pending_totp_tokens (expires_at);

-- Enrolment links an admin sends a user: only the SHA-256 of the link's secret is kept.
CREATE TABLE enrollment_links (
  id           uuid PRIMARY KEY,
  upn          text NOT NULL REFERENCES users(upn) ON DELETE CASCADE,
  token_sha256 bytea NOT NULL UNIQUE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX enrollment_links_upn ON enrollment_links (upn, created_at DESC);

-- The portal's steps (sign-in, link used, token activated) are audited with the user as the actor.
ALTER TABLE admin_audit_log DROP CONSTRAINT admin_audit_log_actor_kind_check;
ALTER TABLE admin_audit_log ADD CONSTRAINT admin_audit_log_actor_kind_check CHECK (actor_kind IN ('token', 'account', 'portal'));
