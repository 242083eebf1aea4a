import type { Request, Response, Router } from 'express';
import { enrollmentLinkToken } from '@tollgate/contracts';
import { randomToken } from '@tollgate/security';
import { csrfToken } from './csrf.js';
import { readCookie, setCookie } from './cookies.js';
import { linkPasswordPage } from './pages.js';
import { field, isHttps, locals, postAllowed, sendFailure, sendPage, sourceOf, type PortalDeps } from './portal-context.js';
import { openSession } from './session-cookie.js';
import { FAILURE_MESSAGES } from './failure-messages.js';

/** How long a link's password form stays valid (its form cookie). */
export const LINK_FORM_TTL_S = 1800;
const FORM_COOKIE = /^[A-Za-z0-9_-]{43}$/;

/** The CSRF token of a link's password form: bound to the form cookie and to the link itself. */
export function linkCsrf(deps: PortalDeps, formCookie: string, link: string): string {
  return csrfToken(deps.keys.csrf, 'link', `${formCookie}:${link}`);
}

function linkOf(req: Request): string | undefined {
  const token = req.params.token;
  return typeof token === 'string' && enrollmentLinkToken.safeParse(token).success ? token : undefined;
}

function renderForm(
  res: Response,
  deps: PortalDeps,
  options: { upn: string; link: string; formCookie: string; error?: string; status?: number },
) {
  sendPage(
    res,
    options.status ?? 200,
    'Confirm it is you',
    linkPasswordPage({
      upn: options.upn,
      action: `/l/${options.link}`,
      csrf: linkCsrf(deps, options.formCookie, options.link),
      ...(options.error ? { error: options.error } : {}),
    }),
    options.error ? 'wrong_password' : 'ok',
  );
}

/** `GET /l/:token` (the link's state, then the password form) and `POST /l/:token` (the password, then a session). */
export function linkRoutes(router: Router, deps: PortalDeps): void {
  router.get('/l/:token', async (req, res) => {
    locals(res).route = 'link_check';
    const settings = locals(res).settings;
    if (!settings) return sendFailure(res, 'unavailable');
    if (!settings.links.enabled) return sendFailure(res, 'disabled');
    const link = linkOf(req);
    if (!link) return sendFailure(res, 'link_unknown');
    const answer = await deps.client.linkCheck({ link, source: sourceOf(req) });
    if (answer.outcome !== 'ok') return sendFailure(res, answer.reason);
    const https = isHttps(res);
    let formCookie = readCookie(req, 'form', https);
    if (!formCookie || !FORM_COOKIE.test(formCookie)) {
      formCookie = randomToken();
      setCookie(res, 'form', https, formCookie, LINK_FORM_TTL_S);
    }
    renderForm(res, deps, { upn: answer.upn, link, formCookie });
  });

  router.post('/l/:token', async (req, res) => {
    locals(res).route = 'link_signin';
    const settings = locals(res).settings;
    if (!settings) return sendFailure(res, 'unavailable');
    const link = linkOf(req);
    if (!link) return sendFailure(res, 'link_unknown');
    const https = isHttps(res);
    const formCookie = readCookie(req, 'form', https);
    if (!postAllowed(req, res, deps, 'link', formCookie ? `${formCookie}:${link}` : undefined)) return;
    if (!settings.links.enabled) return sendFailure(res, 'disabled');
    const password = field(req, 'password');
    if (password.length === 0 || password.length > 1024) {
      const check = await deps.client.linkCheck({ link, source: sourceOf(req) });
      if (check.outcome !== 'ok') return sendFailure(res, check.reason);
      return renderForm(res, deps, {
        upn: check.upn,
        link,
        formCookie: formCookie!,
        error: 'Enter your password (field: password).',
        status: 400,
      });
    }
    const answer = await deps.client.signInLink({ link, password, source: sourceOf(req) });
    if (answer.outcome === 'ok') return openSession(res, answer.view);
    if (answer.reason === 'wrong_password') {
      // The form again, for another try (the link's UPN comes from a fresh check: nothing secret is echoed).
      const check = await deps.client.linkCheck({ link, source: sourceOf(req) });
      if (check.outcome !== 'ok') return sendFailure(res, check.reason);
      const failure = FAILURE_MESSAGES.wrong_password;
      return renderForm(res, deps, { upn: check.upn, link, formCookie: formCookie!, error: failure.message, status: failure.status });
    }
    sendFailure(res, answer.reason);
  });
}
