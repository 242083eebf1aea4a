/** `/api/v1/settings/retention`: how many days authentication events are kept (1..3650, default 90). */
import { z } from 'zod';
import { DEFAULT_RETENTION, settings } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';

const RetentionInput = z.strictObject({
  authEventDays: z.number().int('must be an integer').min(1, 'must be from 1 to 3650').max(3650, 'must be from 1 to 3650'),
});

export function registerRetentionRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/settings/retention',
    async (_req, res) => {
      res.json((await settings.get(kit.db, 'retention')) ?? DEFAULT_RETENTION);
    },
    { summary: 'How many days authentication events are kept' },
  );

  routes.add(
    'put',
    '/api/v1/settings/retention',
    async (req, res) => {
      const input = parseBody(RetentionInput, req);
      await settings.put(kit.db, 'retention', input);
      await kit.audit('settings.retention.update', 'retention', { ...input });
      res.json(input);
    },
    { summary: 'Set how many days authentication events are kept', request: RetentionInput },
  );
}
