import type { ReplyAttribute } from './reply-attribute.js';

/**
 * Where a group membership came from: an admin through the API (`tollgate`), LDAP memberOf
 * (`ldap`) or Entra groups read from Microsoft Graph (`entra`).
 */
export const MembershipSources = ['tollgate', 'ldap', 'entra'] as const;
export type MembershipSource = (typeof MembershipSources)[number];

/** A group name: 1 to 64 of letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * What one group says of its members' sign-ins: the reply attributes of an Access-Accept (in
 * this order), whether the second factor is waived (`mfaExempt`: the password alone signs in),
 * and the RADIUS clients, by name, members may use (`null`: any).
 */
export interface GroupPolicy {
  replyAttributes: ReplyAttribute[];
  mfaExempt: boolean;
  allowedClients: string[] | null;
}

/** A group's policy with the group's name, as the aggregator reads it for a member. */
export interface NamedGroupPolicy extends GroupPolicy {
  name: string;
}
