import type { GroupPolicy, MembershipSource, NamedGroupPolicy, ReplyAttribute } from '@tollgate/contracts';
import type { Queryable } from './db.js';

export interface GroupRecord extends GroupPolicy {
  name: string;
  description: string | null;
  /** Distinct users in the group, whatever the source of their membership. */
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupMember {
  upn: string;
  source: MembershipSource;
  addedAt: Date;
}

/** A group a user is in, and which directory said so (one row per source). */
export interface Membership {
  name: string;
  source: MembershipSource;
}

interface GroupRow {
  name: string;
  description: string | null;
  reply_attributes: ReplyAttribute[] | string;
  mfa_exempt: boolean;
  allowed_clients: string[] | string | null;
  member_count: string | number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** node-postgres parses jsonb; a driver that hands back text is parsed here. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const toPolicy = (r: Pick<GroupRow, 'reply_attributes' | 'mfa_exempt' | 'allowed_clients'>): GroupPolicy => ({
  replyAttributes: json(r.reply_attributes),
  mfaExempt: r.mfa_exempt,
  allowedClients: r.allowed_clients === null ? null : json(r.allowed_clients),
});

const toGroup = (r: GroupRow): GroupRecord => ({
  name: r.name,
  description: r.description,
  ...toPolicy(r),
  memberCount: Number(r.member_count),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const GROUP_SELECT = `SELECT g.name, g.description, g.reply_attributes, g.mfa_exempt, g.allowed_clients, g.created_at, g.updated_at,
  (SELECT count(DISTINCT m.upn) FROM group_members m WHERE m.group_name = g.name) AS member_count
  FROM groups g`;

/** Code-point order, the order group policies are combined in whatever the database's collation. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const groups = {
  /** Creates the group with an empty policy; false when one of that name exists. */
  async create(db: Queryable, group: { name: string; description?: string | null }): Promise<boolean> {
    const { affected } = await db.query(`INSERT INTO groups (name, description) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      group.name,
      group.description ?? null,
    ]);
    return affected === 1;
  },

  /** Every group with its member count, in code-point order of name. */
  async list(db: Queryable): Promise<GroupRecord[]> {
    const { rows } = await db.query<GroupRow>(GROUP_SELECT);
    return rows.map(toGroup).sort((a, b) => byCodePoint(a.name, b.name));
  },

  async get(db: Queryable, name: string): Promise<GroupRecord | null> {
    const { rows } = await db.query<GroupRow>(`${GROUP_SELECT} WHERE g.name = $1`, [name]);
    return rows[0] ? toGroup(rows[0]) : null;
  },

  /** Deletes the group and its memberships (cascade). */
  async remove(db: Queryable, name: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM groups WHERE name = $1`, [name]);
    return affected === 1;
  },

  /** Sets the parts of the policy given (an `allowedClients` of null lifts the restriction); false for an unknown group. */
  async setPolicy(db: Queryable, name: string, changes: Partial<GroupPolicy>): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE groups SET
         reply_attributes = COALESCE($2::jsonb, reply_attributes),
         mfa_exempt = COALESCE($3, mfa_exempt),
         allowed_clients = CASE WHEN $4 THEN $5::jsonb ELSE allowed_clients END,
         updated_at = now()
       WHERE name = $1`,
      [
        name,
        changes.replyAttributes === undefined ? null : JSON.stringify(changes.replyAttributes),
        changes.mfaExempt ?? null,
        changes.allowedClients !== undefined,
        changes.allowedClients == null ? null : JSON.stringify(changes.allowedClients),
      ],
    );
    return affected === 1;
  },

  /**
   * Adds the user to the group from `source`; false when that membership existed already.
   * Throws `{code: '23503'}` (foreign key) when the group or the user does not exist.
   */
  async addMember(db: Queryable, name: string, upn: string, source: MembershipSource = 'tollgate'): Promise<boolean> {
    const { affected } = await db.query(
      `INSERT INTO group_members (group_name, upn, source) VALUES ($1, $2, $3) ON CONFLICT (group_name, upn, source) DO NOTHING`,
      [name, upn, source],
    );
    return affected === 1;
  },

  /** Removes the membership from `source` only (one from another directory stays); false when there was none. */
  async removeMember(db: Queryable, name: string, upn: string, source: MembershipSource = 'tollgate'): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM group_members WHERE group_name = $1 AND upn = $2 AND source = $3`, [
      name,
      upn,
      source,
    ]);
    return affected === 1;
  },

  /**
   * Makes the user's memberships from `source` exactly the Tollgate groups among `names` (matched
   * without regard to case; names that are no Tollgate group are ignored), in one statement: a
   * directory's groups synced at sign-in. Memberships from other sources stay. A UPN that is no
   * Tollgate user gets none. Returns the groups held from the source now, and whether anything changed.
   */
  async syncMemberships(
    db: Queryable,
    upn: string,
    source: MembershipSource,
    names: readonly string[],
  ): Promise<{ groups: string[]; changed: boolean }> {
    const { rows } = await db.query<{ name: string | null; changed: number | string }>(
      `WITH wanted AS (
         SELECT g.name FROM groups g JOIN users u ON u.upn = $1 WHERE lower(g.name) = ANY($3::text[])
       ), removed AS (
         DELETE FROM group_members m WHERE m.upn = $1 AND m.source = $2 AND m.group_name NOT IN (SELECT name FROM wanted)
         RETURNING 1
       ), added AS (
         INSERT INTO group_members (group_name, upn, source) SELECT name, $1, $2 FROM wanted
         ON CONFLICT (group_name, upn, source) DO NOTHING RETURNING 1
       )
       SELECT w.name, (SELECT count(*) FROM removed) + (SELECT count(*) FROM added) AS changed
       FROM (SELECT 1) one LEFT JOIN wanted w ON true`,
      [upn, source, [...new Set(names.map((n) => n.toLowerCase()))]],
    );
    const held = rows.flatMap((r) => (r.name === null ? [] : [r.name])).sort(byCodePoint);
    return { groups: held, changed: Number(rows[0]?.changed ?? 0) > 0 };
  },

  /** The group's members, one row per membership source, by UPN. */
  async members(db: Queryable, name: string): Promise<GroupMember[]> {
    const { rows } = await db.query<{ upn: string; source: MembershipSource; added_at: Date | string }>(
      `SELECT upn, source, added_at FROM group_members WHERE group_name = $1`,
      [name],
    );
    return rows
      .map((r) => ({ upn: r.upn, source: r.source, addedAt: new Date(r.added_at) }))
      .sort((a, b) => byCodePoint(a.upn, b.upn) || byCodePoint(a.source, b.source));
  },

  /** The groups the user is in, one row per membership source, by group name. */
  async groupsOf(db: Queryable, upn: string): Promise<Membership[]> {
    const { rows } = await db.query<Membership>(`SELECT group_name AS name, source FROM group_members WHERE upn = $1`, [upn]);
    return rows.sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.source, b.source));
  },

  /**
   * The policies of the groups of many users in one query, for the aggregator: each user's
   * groups once each (whatever the sources), in code-point order of name. A UPN absent from the
   * map is in no group. Reads only the groups tables.
   */
  async policiesOf(db: Queryable, upns: readonly string[]): Promise<Map<string, NamedGroupPolicy[]>> {
    const { rows } = await db.query<{ upn: string; name: string } & Pick<GroupRow, 'reply_attributes' | 'mfa_exempt' | 'allowed_clients'>>(
      `SELECT DISTINCT m.upn, g.name, g.reply_attributes, g.mfa_exempt, g.allowed_clients
       FROM group_members m JOIN groups g ON g.name = m.group_name WHERE m.upn = ANY($1::text[])`,
      [[...new Set(upns)]],
      { name: 'tollgate_groups_policies_of' },
    );
    const found = new Map<string, NamedGroupPolicy[]>();
    for (const r of rows) {
      const list = found.get(r.upn) ?? [];
      list.push({ name: r.name, ...toPolicy(r) });
      found.set(r.upn, list);
    }
    for (const list of found.values()) list.sort((a, b) => byCodePoint(a.name, b.name));
    return found;
  },
};
