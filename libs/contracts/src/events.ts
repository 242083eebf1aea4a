import { z } from 'zod';

/** What changed; services drop the matching cache entries (or all of them for `all`). */
export const ConfigChanged = z.object({
  kind: z.enum(['radius_clients', 'users', 'groups', 'settings', 'all']),
  /** For `users`: the UPN whose record changed. `groups` carries none: a group change may touch any member. */
  key: z.string().optional(),
});
export type ConfigChanged = z.infer<typeof ConfigChanged>;
