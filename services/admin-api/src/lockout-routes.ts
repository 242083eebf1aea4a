/**
 * `DELETE /api/v1/users/:username/lockout`: clears what keeps a user out for a while after
 * failures, in the shared state store every replica reads: the OTP lockout counter (the
 * otp-verifier's) and the wrong-password counter (the aggregator's). The per-source password
 * counter is left alone: it protects against a source, not a user. Helpdesk may do it.
 */
import { otpFailureKey, passwordFailureKey } from '@tollgate/runtime';
import type { AdminKit } from './admin-kit.js';
import type { ApiRoutes } from './api-routes.js';
import { loadUser } from './user-routes.js';

const STATE_TIMEOUT_MS = 2_000;

export function registerLockoutRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'delete',
    '/api/v1/users/:username/lockout',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      const options = { timeoutMs: STATE_TIMEOUT_MS };
      const [otpFailures, passwordFailures] = await Promise.all([
        kit.deps.state.counter(otpFailureKey(upn), options),
        kit.deps.state.counter(passwordFailureKey(upn), options),
      ]);
      await Promise.all([kit.deps.state.delete(otpFailureKey(upn), options), kit.deps.state.delete(passwordFailureKey(upn), options)]);
      await kit.audit('user.lockout.reset', upn, { otpFailures, passwordFailures });
      res.json({ username: upn, cleared: { otpFailures, passwordFailures } });
    },
    { permission: 'users.write', summary: "Clear the user's OTP lockout and wrong-password counters" },
  );
}
