import type { Router } from 'express';
import { secretsEqual } from '@tollgate/security';
import { authorizeUrl, newSignIn, redirectUri, type SignInStart } from './authorize-request.js';
import { clearCookie, cookieName, readCookie, setCookie } from './cookies.js';
import { openCookie, sealCookie } from './sealed-cookie.js';
import { isHttps, locals, sendFailure, sourceOf, type PortalDeps } from './portal-context.js';
import { openSession } from './session-cookie.js';

/** How long a Microsoft sign-in may take, from /signin to /callback. */
export const SIGN_IN_TTL_S = 600;

function isSignInStart(value: unknown): value is SignInStart {
  const v = value as Partial<SignInStart> | undefined;
  return typeof v?.state === 'string' && typeof v.nonce === 'string' && typeof v.codeVerifier === 'string';
}

const single = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** `GET /signin` (to Microsoft, with PKCE, state and nonce) and `GET /callback` (back, with the code). */
export function signInRoutes(router: Router, deps: PortalDeps): void {
  router.get('/signin', (_req, res) => {
    locals(res).route = 'signin';
    const settings = locals(res).settings;
    if (!settings) return sendFailure(res, 'unavailable');
    if (!settings.oidc.enabled) return sendFailure(res, 'disabled');
    const https = isHttps(res);
    const start = newSignIn();
    const sealed = sealCookie(deps.keys.cookie, cookieName('signin', https), start, SIGN_IN_TTL_S * 1000);
    setCookie(res, 'signin', https, sealed, SIGN_IN_TTL_S);
    locals(res).outcome = 'ok';
    res.redirect(302, authorizeUrl(settings.oidc, settings.publicUrl, start));
  });

  router.get('/callback', async (req, res) => {
    locals(res).route = 'callback';
    const settings = locals(res).settings;
    if (!settings) return sendFailure(res, 'unavailable');
    if (!settings.oidc.enabled) return sendFailure(res, 'disabled');
    const https = isHttps(res);
    const name = cookieName('signin', https);
    const start = openCookie(deps.keys.cookie, name, readCookie(req, 'signin', https));
    // One sign-in, one callback: the cookie goes whatever the outcome.
    clearCookie(res, 'signin', https);
    const state = single(req.query.state);
    if (!isSignInStart(start) || !state || !secretsEqual(start.state, state)) return sendFailure(res, 'sign_in_state');
    // Microsoft answered with an error (the user cancelled, Conditional Access refused): no code to redeem.
    if (single(req.query.error)) return sendFailure(res, 'sign_in_cancelled');
    const code = single(req.query.code);
    if (!code || code.length > 4096) return sendFailure(res, 'sign_in_invalid');
    const answer = await deps.client.signInOidc({
      code,
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
      redirectUri: redirectUri(settings.publicUrl),
      source: sourceOf(req),
    });
    if (answer.outcome !== 'ok') return sendFailure(res, answer.reason);
    openSession(res, answer.view);
  });
}
