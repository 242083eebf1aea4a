/**
 * `GET /api/v1/audit-log`: the admin audit log, newest first, filtered by actor, action (exact, or
 * a prefix ending in `.`), target and time, paged by `before` (the `next` of the previous page).
 * Admin and auditor; the log holds no secret values.
 */
import { z } from 'zod';
import { adminAudit } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseQuery, type ApiRoutes } from './api-routes.js';

const text = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).transform((value) => new Date(value));

const AuditQuery = z.strictObject({
  limit: z.coerce.number().int('must be an integer').min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000').default(100),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, 'must be an entry id')
    .optional(),
  actor: text.optional(),
  action: text.optional(),
  target: text.optional(),
  since: instant.optional(),
  until: instant.optional(),
});

export function registerAuditLogRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/audit-log',
    async (req, res) => {
      const q = parseQuery(AuditQuery, req);
      const entries = await adminAudit.list(kit.db, {
        limit: q.limit,
        ...(q.before !== undefined ? { before: q.before } : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.target !== undefined ? { target: q.target } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
      });
      res.json({ entries, next: entries.length === q.limit ? entries[entries.length - 1]!.id : null });
    },
    { permission: 'audit.read', summary: 'The admin audit log, newest first, filtered and paged', query: AuditQuery },
  );
}
