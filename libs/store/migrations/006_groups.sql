-- Groups of users and the policy each carries: reply attributes for an Access-Accept, an
-- exception from the second factor (mfa_exempt: members sign in with the password alone), and
-- the RADIUS clients (by name) members may use (NULL: no restriction).
CREATE TABLE groups (
  name             text PRIMARY KEY,
  description      text,
  reply_attributes jsonb NOT NULL DEFAULT '[]'::jsonb,
  mfa_exempt       boolean NOT NULL DEFAULT false,
  allowed_clients  jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Who is in which group, and which directory said so: an admin through the API ('tollgate'),
-- LDAP memberOf ('ldap') or Entra groups read from Microsoft Graph ('entra'). The same user may
-- be a member of one group from several sources; removing one leaves the others.
CREATE TABLE group_members (
  group_name text NOT NULL REFERENCES groups (name) ON DELETE CASCADE,
  upn        text NOT NULL REFERENCES users (upn) ON DELETE CASCADE,
  source     text NOT NULL CHECK (source IN ('tollgate', 'ldap', 'entra')),
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, upn, source)
);
CREATE INDEX group_members_upn ON group_members (upn);
