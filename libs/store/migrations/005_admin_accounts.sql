-- Named API tokens with a role, kept by their SHA-256 only (the token is shown once, on creation).
CREATE TABLE api_tokens (
  name         text PRIMARY KEY,
  token_sha256 text NOT NULL UNIQUE,
  role         text NOT NULL CHECK (role IN ('admin', 'helpdesk', 'auditor')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

-- Every change made through the admin API: who (account or token name) with which role, from
-- where, what and on which record, and how it ended. Never a secret value.
CREATE TABLE admin_audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('token', 'account')),
  role       text NOT NULL,
  source     text NOT NULL,
  action     text NOT NULL,
  target     text NOT NULL,
  outcome    text NOT NULL,
  details    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX admin_audit_log_at ON admin_audit_log (at DESC, id DESC);
CREATE INDEX admin_audit_log_actor_at ON admin_audit_log (actor, at DESC);
