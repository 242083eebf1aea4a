import type { Response } from 'express';
import type { PortalSessionView } from '@tollgate/contracts';
import { setCookie } from './cookies.js';
import { isHttps, locals } from './portal-context.js';

/** A session opened (by either way of signing in): its cookie for as long as it lives, then on to /enrol. */
export function openSession(res: Response, view: PortalSessionView): void {
  setCookie(res, 'session', isHttps(res), view.session, view.expiresInSeconds);
  locals(res).outcome = 'ok';
  res.redirect(303, '/enrol');
}
