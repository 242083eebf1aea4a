/**
 * `GET /api/v1/auth-events`: the latest decisions with their reasons, newest first (the table holds
 * no secrets), filtered by user, reason (exact, or a prefix ending in `.`), decision, RADIUS
 * client and time range (`since` included, `until` excluded).
 */
import { z } from 'zod';
import { authEvents, toUpn } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseQuery, type ApiRoutes } from './api-routes.js';

const text = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).transform((value) => new Date(value));

const EventsQuery = z.strictObject({
  username: z.string().max(256, 'must be at most 256 characters').optional(),
  reason: text.optional(),
  decision: z.enum(['accept', 'reject', 'challenge'], { message: 'must be one of accept, reject, challenge' }).optional(),
  client: text.optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: z.coerce.number().int('must be an integer').min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000').default(50),
});

export function registerAuthEventRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/auth-events',
    async (req, res) => {
      const query = parseQuery(EventsQuery, req);
      // No UPN shape check here: the log also holds names as the NAS sent them, bare or odd.
      const upn = query.username?.trim() ? toUpn(query.username, await kit.entraDomain()) : undefined;
      const events = await authEvents.latest(kit.db, {
        limit: query.limit,
        ...(upn ? { upn } : {}),
        ...(query.reason !== undefined ? { reason: query.reason } : {}),
        ...(query.decision !== undefined ? { decision: query.decision } : {}),
        ...(query.client !== undefined ? { clientName: query.client } : {}),
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.until !== undefined ? { until: query.until } : {}),
      });
      res.json({
        events: events.map((e) => ({
          at: e.at,
          requestId: e.requestId,
          username: e.username,
          upn: e.upn,
          clientName: e.clientName,
          clientAddress: e.clientAddress,
          decision: e.decision,
          reason: e.reason,
          aadsts: e.aadsts,
          latencyMs: e.latencyMs,
        })),
      });
    },
    {
      permission: 'auth-log.read',
      summary: 'The latest authentication decisions, newest first, filtered by user, reason, decision, client and time',
      query: EventsQuery,
    },
  );
}
