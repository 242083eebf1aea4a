/**
 * The admin's "test connection" for a password source: one bus request to the verifier's test
 * endpoint with the typed user name and password, its answer checked against the verifier's
 * contract. A verifier that does not answer, or answers outside its contract, is a 503 naming it
 * (logged with the target user, never the password).
 */
import type { z } from 'zod';
import { BusError, subject, type SubjectName } from '@tollgate/contracts';
import { errorFields } from '@tollgate/logging';
import { ApiError } from './api-error.js';
import type { AdminKit } from './admin-kit.js';

export interface ConnectionTest<T> {
  /** `entra` or `ldap`: names the verifier in messages and logs. */
  source: string;
  endpoint: SubjectName;
  response: z.ZodType<T>;
  timeoutMs: number;
}

export async function runConnectionTest<T>(kit: AdminKit, test: ConnectionTest<T>, upn: string, password: string): Promise<T> {
  let reply: unknown;
  try {
    reply = await kit.deps.bus.request(subject(kit.deps.subjectPrefix, test.endpoint), { upn, password }, { timeoutMs: test.timeoutMs });
  } catch (error) {
    const code = error instanceof BusError ? error.code : 'internal';
    kit.deps.logger.warn({ target: upn, err: errorFields(error) }, `${test.source} connection test: verifier unavailable`);
    throw new ApiError(503, 'verifier_unavailable', `the ${test.source}-verifier did not answer (${code})`);
  }
  const parsed = test.response.safeParse(reply);
  if (!parsed.success) {
    throw new ApiError(503, 'verifier_unavailable', `the ${test.source}-verifier gave an answer Tollgate does not understand`);
  }
  return parsed.data;
}
