/**
 * `/api/v1/groups`: groups of users and the policy each carries (reply attributes, allowed RADIUS
 * clients, MFA exemption), and the memberships an admin adds (source `tollgate`; memberships
 * from LDAP or Entra come from those directories). Reads are for every role; every write is the
 * admin's, since a membership can waive a user's second factor.
 */
import { z } from 'zod';
import { GROUP_NAME, MAX_REPLY_ATTRIBUTES, ReplyAttribute } from '@tollgate/contracts';
import { groups, radiusClients, users, type GroupRecord } from '@tollgate/store';
import { badRequest, conflict, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { checkReplyAttributes } from './reply-attributes-input.js';

/** Shown with every policy that waives the second factor, and written to the audit log. */
export const MFA_EXEMPT_WARNING =
  'members of this group sign in with their password alone, without a second factor: this weakens security; keep it to service accounts that cannot use a code';

const name = z.string().regex(GROUP_NAME, 'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const CreateInput = z.strictObject({
  name,
  description: z
    .string()
    .trim()
    .max(256, 'must be at most 256 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .nullable()
    .optional(),
});

const PolicyInput = z.strictObject({
  replyAttributes: z
    .array(z.strictObject({ name: ReplyAttribute.shape.name, value: ReplyAttribute.shape.value }))
    .max(MAX_REPLY_ATTRIBUTES, `must be at most ${MAX_REPLY_ATTRIBUTES} attributes`)
    .optional(),
  mfaExempt: z.boolean().optional(),
  allowedClients: z.array(z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')).max(1000).nullable().optional(),
});

function groupView(group: GroupRecord) {
  return {
    name: group.name,
    description: group.description,
    replyAttributes: group.replyAttributes,
    mfaExempt: group.mfaExempt,
    allowedClients: group.allowedClients,
    memberCount: group.memberCount,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    ...(group.mfaExempt ? { warning: MFA_EXEMPT_WARNING } : {}),
  };
}

/** A foreign-key violation: the group or the user went away between the check and the insert. */
const isForeignKeyViolation = (error: unknown): boolean => (error as { code?: string }).code === '23503';

export function registerGroupRoutes(routes: ApiRoutes, kit: AdminKit): void {
  const load = async (groupName: string): Promise<GroupRecord> => {
    const group = await groups.get(kit.db, groupName);
    if (!group) throw notFound('name', 'no such group');
    return group;
  };
  /** The group and the canonical user of a membership path, both existing, or a 404 naming the one that does not. */
  const membership = async (req: { params: Record<string, unknown> }): Promise<{ group: string; upn: string }> => {
    const group = (await load(String(req.params.name))).name;
    const upn = await kit.upn(String(req.params.username ?? ''));
    if (!(await users.get(kit.db, upn))) throw notFound('username', 'no such user');
    return { group, upn };
  };

  routes.add(
    'post',
    '/api/v1/groups',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      const description = input.description ? input.description : null;
      if (!(await groups.create(kit.db, { name: input.name, description })))
        throw conflict('name', 'a group with this name already exists');
      await kit.audit('group.create', input.name, { description: description !== null });
      kit.configChanged({ kind: 'groups' });
      res.status(201).json(groupView(await load(input.name)));
    },
    {
      permission: 'admin',
      summary: 'Create a group: name and optional description',
      request: CreateInput,
      status: 201,
      responses: { 409: 'A group with this name exists' },
    },
  );

  routes.add(
    'get',
    '/api/v1/groups',
    async (_req, res) => {
      res.json({ groups: (await groups.list(kit.db)).map(groupView) });
    },
    { permission: 'groups.read', summary: 'The groups, with their policies and member counts' },
  );

  routes.add(
    'get',
    '/api/v1/groups/:name',
    async (req, res) => {
      const group = await load(String(req.params.name));
      const members = await groups.members(kit.db, group.name);
      res.json({ ...groupView(group), members: members.map((m) => ({ upn: m.upn, source: m.source, addedAt: m.addedAt })) });
    },
    { permission: 'groups.read', summary: 'One group: its policy and members (with where each membership came from)' },
  );

  routes.add(
    'delete',
    '/api/v1/groups/:name',
    async (req, res) => {
      const group = await load(String(req.params.name));
      if (!(await groups.remove(kit.db, group.name))) throw notFound('name', 'no such group');
      await kit.audit('group.delete', group.name, { memberCount: group.memberCount, mfaExempt: group.mfaExempt });
      kit.configChanged({ kind: 'groups' });
      res.status(204).end();
    },
    { permission: 'admin', summary: 'Delete a group and its memberships', status: 204 },
  );

  routes.add(
    'put',
    '/api/v1/groups/:name/policy',
    async (req, res) => {
      const input = parseBody(PolicyInput, req);
      if (input.replyAttributes === undefined && input.mfaExempt === undefined && input.allowedClients === undefined) {
        throw badRequest('body', 'must set at least one of replyAttributes, mfaExempt, allowedClients');
      }
      const group = await load(String(req.params.name));
      const changes: Parameters<typeof groups.setPolicy>[2] = {};
      if (input.replyAttributes !== undefined) changes.replyAttributes = checkReplyAttributes(kit.dictionary, input.replyAttributes);
      if (input.mfaExempt !== undefined) changes.mfaExempt = input.mfaExempt;
      if (input.allowedClients !== undefined) changes.allowedClients = await knownClients(kit, input.allowedClients);
      if (!(await groups.setPolicy(kit.db, group.name, changes))) throw notFound('name', 'no such group');
      const updated = await load(group.name);
      await kit.audit('group.policy', group.name, {
        changed: Object.keys(changes),
        mfaExempt: updated.mfaExempt,
        ...(updated.mfaExempt ? { warning: MFA_EXEMPT_WARNING } : {}),
        replyAttributes: updated.replyAttributes.map((a) => a.name),
        allowedClients: updated.allowedClients,
      });
      kit.configChanged({ kind: 'groups' });
      res.json(groupView(updated));
    },
    {
      permission: 'admin',
      summary: "Set a group's policy: reply attributes, MFA exemption (weakens security), allowed clients",
      request: PolicyInput,
    },
  );

  routes.add(
    'put',
    '/api/v1/groups/:name/members/:username',
    async (req, res) => {
      const { group, upn } = await membership(req);
      const added = await groups.addMember(kit.db, group, upn, 'tollgate').catch((error: unknown) => {
        if (isForeignKeyViolation(error)) throw notFound('username', 'no such user');
        throw error;
      });
      if (added) {
        await kit.audit('group.member.add', group, { upn, source: 'tollgate' });
        kit.configChanged({ kind: 'users', key: upn });
      }
      res.json({ group, upn, source: 'tollgate', added });
    },
    { permission: 'admin', body: 'none', summary: 'Add a user to a group (a Tollgate membership; idempotent)' },
  );

  routes.add(
    'delete',
    '/api/v1/groups/:name/members/:username',
    async (req, res) => {
      const { group, upn } = await membership(req);
      if (!(await groups.removeMember(kit.db, group, upn, 'tollgate'))) {
        throw notFound('username', 'not a member of this group through Tollgate (memberships from LDAP or Entra change there)');
      }
      await kit.audit('group.member.remove', group, { upn, source: 'tollgate' });
      kit.configChanged({ kind: 'users', key: upn });
      res.status(204).end();
    },
    { permission: 'admin', summary: "Remove a user's Tollgate membership of a group", status: 204 },
  );
}

/** The allowed clients, each once, every one the name of a configured RADIUS client (else a 400 naming it). */
async function knownClients(kit: AdminKit, names: readonly string[] | null): Promise<string[] | null> {
  if (names === null) return null;
  const configured = new Set((await radiusClients.list(kit.db)).map((c) => c.name));
  names.forEach((clientName, index) => {
    if (!configured.has(clientName)) throw badRequest(`allowedClients.${index}`, 'is not the name of a configured RADIUS client');
  });
  return [...new Set(names)];
}
