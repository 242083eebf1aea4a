import type { Request, Response, Router } from 'express';
import type { PortalSessionView } from '@tollgate/contracts';
import { csrfToken } from './csrf.js';
import { clearCookie, readCookie } from './cookies.js';
import { FAILURE_MESSAGES } from './failure-messages.js';
import { confirmPage, enrolPage, qrPage, successPage } from './pages.js';
import { field, isHttps, locals, postAllowed, sendFailure, sendPage, sourceOf, type PortalDeps } from './portal-context.js';
import { otpauthQrSvg } from './qr-svg.js';

const SESSION_REF = /^[A-Za-z0-9_-]{43}$/;
const CODE = /^[0-9]{6,8}$/;

export function sessionCsrf(deps: PortalDeps, session: string): string {
  return csrfToken(deps.keys.csrf, 'session', session);
}

function sessionOf(req: Request, res: Response): string | undefined {
  const value = readCookie(req, 'session', isHttps(res));
  return value && SESSION_REF.test(value) ? value : undefined;
}

/** A session that is gone: its cookie is cleared and the page says so. */
function sessionGone(res: Response): void {
  clearCookie(res, 'session', isHttps(res));
  sendFailure(res, 'session_expired');
}

/** Codes as typed on a phone: spaces and dashes are dropped. */
function codeField(req: Request, name: string): string {
  return field(req, name).replace(/[\s-]/g, '');
}

/** The enrolment steps: `GET /enrol`, `POST /enrol/start` (the QR code), `POST /enrol/confirm` (the first code), `POST /signout`. */
export function enrolRoutes(router: Router, deps: PortalDeps): void {
  const showEnrol = (res: Response, session: string, view: PortalSessionView, status: number, error?: string, outcome = 'ok') => {
    const allowReplace = locals(res).settings?.allowReplace ?? false;
    const csrf = sessionCsrf(deps, session);
    sendPage(res, status, 'Set up your authenticator', enrolPage({ view, allowReplace, csrf, ...(error ? { error } : {}) }), outcome);
  };

  router.get('/enrol', async (req, res) => {
    locals(res).route = 'enrol';
    if (!locals(res).settings) return sendFailure(res, 'unavailable');
    const session = sessionOf(req, res);
    if (!session) return sendFailure(res, 'session_expired');
    const answer = await deps.client.sessionGet({ session, source: sourceOf(req) });
    if (answer.outcome !== 'ok') return answer.reason === 'session_expired' ? sessionGone(res) : sendFailure(res, answer.reason);
    showEnrol(res, session, answer.view, 200);
  });

  router.post('/enrol/start', async (req, res) => {
    locals(res).route = 'enrol_start';
    if (!locals(res).settings) return sendFailure(res, 'unavailable');
    const session = sessionOf(req, res);
    if (!postAllowed(req, res, deps, 'session', session)) return;
    const source = sourceOf(req);
    const currentCode = codeField(req, 'currentCode');
    const again = async (error: string, outcome: string, status: number) => {
      const view = await deps.client.sessionGet({ session: session!, source });
      if (view.outcome !== 'ok') return view.reason === 'session_expired' ? sessionGone(res) : sendFailure(res, view.reason);
      showEnrol(res, session!, view.view, status, error, outcome);
    };
    if (currentCode !== '' && !CODE.test(currentCode)) return again('Enter the 6-digit code (field: currentCode).', 'bad_request', 400);
    const answer = await deps.client.enrolStart({ session: session!, source, ...(currentCode ? { currentCode } : {}) });
    if (answer.outcome === 'ok') {
      const svg = await otpauthQrSvg(answer.otpauthUri, `QR code to add ${answer.issuer}: ${answer.account} to your authenticator app`);
      return sendPage(
        res,
        200,
        'Scan this QR code',
        qrPage({
          svg,
          secret: answer.secret,
          issuer: answer.issuer,
          account: answer.account,
          digits: answer.digits,
          period: answer.period,
          csrf: sessionCsrf(deps, session!),
        }),
      );
    }
    switch (answer.reason) {
      case 'current_code_required':
      case 'current_code_wrong':
        return again(FAILURE_MESSAGES[answer.reason].message, answer.reason, FAILURE_MESSAGES[answer.reason].status);
      case 'seed_already_shown':
        return sendPage(
          res,
          409,
          'The QR code was already shown',
          confirmPage({ csrf: sessionCsrf(deps, session!), notice: 'seed_already_shown' }),
          answer.reason,
        );
      case 'session_expired':
        return sessionGone(res);
      default:
        return sendFailure(res, answer.reason);
    }
  });

  router.post('/enrol/confirm', async (req, res) => {
    locals(res).route = 'enrol_confirm';
    if (!locals(res).settings) return sendFailure(res, 'unavailable');
    const session = sessionOf(req, res);
    if (!postAllowed(req, res, deps, 'session', session)) return;
    const csrf = sessionCsrf(deps, session!);
    const code = codeField(req, 'code');
    if (!CODE.test(code))
      return sendPage(
        res,
        400,
        'Finish setting up',
        confirmPage({ csrf, error: 'Enter the 6-digit code your app shows (field: code).' }),
        'bad_request',
      );
    const answer = await deps.client.enrolConfirm({ session: session!, code, source: sourceOf(req) });
    if (answer.outcome === 'activated') {
      clearCookie(res, 'session', isHttps(res));
      return sendPage(res, 200, 'Your authenticator is set up', successPage({ upn: answer.upn, replaced: answer.replaced }));
    }
    if (answer.reason === 'wrong_code')
      return sendPage(res, 400, 'Finish setting up', confirmPage({ csrf, error: FAILURE_MESSAGES.wrong_code.message }), answer.reason);
    if (answer.reason === 'session_expired') return sessionGone(res);
    sendFailure(res, answer.reason);
  });

  router.post('/signout', async (req, res) => {
    locals(res).route = 'signout';
    const session = sessionOf(req, res);
    if (!postAllowed(req, res, deps, 'session', session)) return;
    clearCookie(res, 'session', isHttps(res));
    // Signed out here whatever the admin API says; the session also ends by itself when it times out.
    await deps.client.sessionEnd({ session: session!, source: sourceOf(req) }).catch(() => undefined);
    locals(res).outcome = 'ok';
    res.redirect(303, '/');
  });
}
