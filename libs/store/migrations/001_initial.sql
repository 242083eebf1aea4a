-- Tollgate schema, version 1. Secrets are stored sealed (AES-256-GCM, see libs/security).

CREATE TABLE users (
  upn          text PRIMARY KEY,                 -- lower-case user principal name
  display_name text,
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE totp_tokens (
  upn           text PRIMARY KEY REFERENCES users(upn) ON DELETE CASCADE,
  secret_sealed text NOT NULL,                   -- base32 seed, sealed with context 'totp:<upn>'
  digits        smallint NOT NULL CHECK (digits IN (6, 8)),
  period        smallint NOT NULL CHECK (period IN (30, 60)),
  algorithm     text NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
  source        text NOT NULL CHECK (source IN ('generated', 'hardware')),
  serial        text,
  manufacturer  text,
  model         text,
  last_step     bigint,                          -- highest time step ever accepted: never accepted again
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE radius_clients (
  id                            text PRIMARY KEY,
  name                          text NOT NULL UNIQUE,
  address                       text NOT NULL UNIQUE, -- canonical IP or CIDR
  secret_sealed                 text NOT NULL,        -- sealed with context 'radius-client:<id>'
  require_message_authenticator boolean NOT NULL DEFAULT true,
  created_at                    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_events (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  request_id     text NOT NULL,
  username       text NOT NULL,                  -- as the NAS sent it
  upn            text,
  client_name    text NOT NULL,
  client_address text NOT NULL,
  decision       text NOT NULL CHECK (decision IN ('accept', 'reject')),
  reason         text NOT NULL,
  aadsts         integer,
  latency_ms     integer
);
CREATE INDEX auth_events_at ON auth_events (at DESC);
CREATE INDEX auth_events_upn_at ON auth_events (upn, at DESC);
