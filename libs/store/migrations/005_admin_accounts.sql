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

-- Accounts of the people who run Tollgate. The password hash is a self-describing scrypt string;
-- the optional TOTP seed is sealed like users' seeds; totp_last_step keeps a used code from
-- being used again.
CREATE TABLE admin_accounts (
  username         text PRIMARY KEY,
  password_hash    text NOT NULL,
  role             text NOT NULL CHECK (role IN ('admin', 'helpdesk', 'auditor')),
  totp_seed_sealed text,
  totp_last_step   bigint,
  totp_pending_sealed text,                       -- a seed shown for enrolment, until a code confirms it
  disabled         boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at  timestamptz
);

-- Console sessions, kept by the SHA-256 of their id (the id is only in the browser's cookie), so
-- every admin-api replica sees them; csrf_token is the synchronizer token bound to the session.
CREATE TABLE admin_sessions (
  id_sha256    text PRIMARY KEY,
  username     text NOT NULL REFERENCES admin_accounts (username) ON DELETE CASCADE ON UPDATE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_sessions_username ON admin_sessions (username);
