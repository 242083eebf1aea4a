/**
 * `GET /api/v1/stats/auth?window=1h|24h`: the dashboard's numbers from the authentication log:
 * decisions by time bucket and reject reason, and the users and RADIUS clients with the most
 * rejects in the window. Names and reasons only: the log holds no secrets.
 */
import { z } from 'zod';
import { authStats } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseQuery, type ApiRoutes } from './api-routes.js';
import { buildSeries, STATS_WINDOWS, windowStart, type StatsWindow } from './auth-stats-series.js';

const TOP = 10;

const StatsQuery = z.strictObject({
  window: z.enum(Object.keys(STATS_WINDOWS) as [StatsWindow, ...StatsWindow[]], { message: 'must be 1h or 24h' }).default('1h'),
});

export function registerStatsRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/stats/auth',
    async (req, res) => {
      const { window } = parseQuery(StatsQuery, req);
      const now = Date.now();
      const from = windowStart(window, now);
      const [counts, topUsers, topClients] = await Promise.all([
        authStats.counts(kit.db, { from, bucketSeconds: STATS_WINDOWS[window].bucketSeconds }),
        authStats.failingUsers(kit.db, { from, limit: TOP }),
        authStats.failingClients(kit.db, { from, limit: TOP }),
      ]);
      res.json({ ...buildSeries(window, now, counts), topUsers, topClients });
    },
    {
      permission: 'auth-log.read',
      summary: 'Decisions by time bucket and reject reason, and the most rejected users and RADIUS clients (the dashboard)',
      query: StatsQuery,
    },
  );
}
