/**
 * What a user's groups say of their sign-in, combined into one policy. Pure: the aggregator reads
 * the groups' policies (store `groups.policiesOf`) and asks this file what they add up to.
 */
import type { GroupPolicy, NamedGroupPolicy, ReplyAttribute } from '@tollgate/contracts';

/** The policy of a user in no group: no reply attributes, the second factor required, any client. */
export const NO_GROUP_POLICY: GroupPolicy = Object.freeze({ replyAttributes: [], mfaExempt: false, allowedClients: null });

const byCodePoint = (a: NamedGroupPolicy, b: NamedGroupPolicy): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Tells apart `3600` and `'3600'`, which the dictionary may encode differently. */
const pairKey = (attribute: ReplyAttribute): string => JSON.stringify([attribute.name, attribute.value]);

/**
 * The union of the groups' policies. Reply attributes: group by group in code-point order of
 * name, each group's in its stored order, an identical name and value kept once (where it first
 * comes). `mfaExempt`: any group waives the second factor. `allowedClients`: `null` (any client)
 * when no group names clients, else every client named by a group that names some (a group
 * without a list adds no restriction and no client).
 */
export function combineGroupPolicies(groups: readonly NamedGroupPolicy[]): GroupPolicy {
  const replyAttributes: ReplyAttribute[] = [];
  const seen = new Set<string>();
  let mfaExempt = false;
  let allowedClients: Set<string> | null = null;
  for (const group of [...groups].sort(byCodePoint)) {
    for (const attribute of group.replyAttributes) {
      const key = pairKey(attribute);
      if (seen.has(key)) continue;
      seen.add(key);
      replyAttributes.push({ name: attribute.name, value: attribute.value });
    }
    if (group.mfaExempt) mfaExempt = true;
    if (group.allowedClients !== null) {
      allowedClients ??= new Set();
      for (const client of group.allowedClients) allowedClients.add(client);
    }
  }
  return { replyAttributes, mfaExempt, allowedClients: allowedClients === null ? null : [...allowedClients] };
}

/** Whether a user with this policy may sign in through the RADIUS client of this name. */
export function clientAllowed(policy: Pick<GroupPolicy, 'allowedClients'>, clientName: string): boolean {
  return policy.allowedClients === null || policy.allowedClients.includes(clientName);
}
