import type { PortalFailure } from '@tollgate/contracts';

/** What the portal says when a step did not go through: a title, what happened, what to do, the HTTP status. */
export interface FailureMessage {
  title: string;
  message: string;
  status: number;
  /** Whether a "start again" link to the landing page helps. */
  startAgain: boolean;
}

/** Every failure the admin API answers, plus the portal's own (the last six). */
export type PortalProblem = PortalFailure | 'csrf' | 'busy' | 'sign_in_state' | 'sign_in_cancelled' | 'bad_request' | 'not_found';

export const FAILURE_MESSAGES: Readonly<Record<PortalProblem, FailureMessage>> = {
  disabled: {
    title: 'This way of signing in is switched off',
    message: 'Your organisation has switched this way of enrolling off. Ask your IT helpdesk how to set up your authenticator.',
    status: 403,
    startAgain: true,
  },
  rate_limited: {
    title: 'Too many attempts',
    message: 'There were too many attempts for this account or from this network. Wait a few minutes, then try again.',
    status: 429,
    startAgain: true,
  },
  unavailable: {
    title: 'The service did not answer in time',
    message: 'Tollgate or Microsoft did not answer in time. Nothing was changed. Please try again in a minute.',
    status: 503,
    startAgain: true,
  },
  wrong_password: {
    title: 'Password not accepted',
    message: 'Microsoft did not accept this password, or this account cannot sign in. Check it and try again.',
    status: 401,
    startAgain: false,
  },
  mfa_not_performed: {
    title: 'Multi-factor sign-in required',
    message:
      'Your Microsoft sign-in did not include multi-factor authentication, which enrolling requires. Sign in again and complete the extra step Microsoft asks for; if it asks for none, contact your IT helpdesk.',
    status: 403,
    startAgain: true,
  },
  sign_in_invalid: {
    title: 'The Microsoft sign-in could not be checked',
    message: 'The answer from Microsoft was not valid or had expired. Please sign in again.',
    status: 400,
    startAgain: true,
  },
  not_enrollable: {
    title: 'This account cannot enrol here',
    message: 'This account is not set up for VPN sign-in with Tollgate, or it is disabled. Contact your IT helpdesk.',
    status: 403,
    startAgain: false,
  },
  link_unknown: {
    title: 'This enrolment link is not valid',
    message: 'Check that you opened the whole link from your message. If it still does not work, ask your IT helpdesk for a new one.',
    status: 404,
    startAgain: false,
  },
  link_expired: {
    title: 'This enrolment link has expired',
    message: 'Enrolment links are valid for a limited time. Ask your IT helpdesk for a new one.',
    status: 410,
    startAgain: false,
  },
  link_used: {
    title: 'This enrolment link was already used',
    message: 'Each link works once. If you did not use it yourself, tell your IT helpdesk at once.',
    status: 410,
    startAgain: false,
  },
  link_revoked: {
    title: 'This enrolment link was withdrawn',
    message: 'Your IT helpdesk withdrew this link. Ask them for a new one if you still need to enrol.',
    status: 410,
    startAgain: false,
  },
  session_expired: {
    title: 'Your session has ended',
    message: 'For your security the enrolment session ended (it timed out, or the enrolment was finished). Please start again.',
    status: 401,
    startAgain: true,
  },
  already_enrolled: {
    title: 'You already have an authenticator',
    message: 'Your account already has an active authenticator, and replacing it here is switched off. Ask your IT helpdesk to reset it.',
    status: 409,
    startAgain: false,
  },
  current_code_required: {
    title: 'Your current code is needed',
    message: 'To replace your authenticator, enter the code your current authenticator app shows.',
    status: 400,
    startAgain: false,
  },
  current_code_wrong: {
    title: 'That code did not match',
    message: 'The code from your current authenticator did not match. Wait for the next code and try again.',
    status: 400,
    startAgain: false,
  },
  seed_already_shown: {
    title: 'The QR code was already shown',
    message:
      'For your security the QR code is shown only once. If you scanned it, enter the code your app shows below. If not, sign out and start again to get a new one.',
    status: 409,
    startAgain: false,
  },
  wrong_code: {
    title: 'That code did not match',
    message: 'The code did not match the new authenticator. Check the time on your phone, wait for the next code and try again.',
    status: 400,
    startAgain: false,
  },
  csrf: {
    title: 'This form has expired',
    message: 'The page was open too long, or the form was sent from somewhere else. Go back, reload the page and try again.',
    status: 403,
    startAgain: true,
  },
  busy: {
    title: 'Too many requests',
    message: 'Too many requests came from your network. Wait a minute, then try again.',
    status: 429,
    startAgain: true,
  },
  sign_in_state: {
    title: 'The sign-in could not be matched',
    message:
      'The answer from Microsoft did not belong to a sign-in started in this browser, or it took too long. Please start the sign-in again.',
    status: 400,
    startAgain: true,
  },
  sign_in_cancelled: {
    title: 'The Microsoft sign-in did not finish',
    message:
      'Microsoft did not complete the sign-in (it was cancelled, or your organisation’s sign-in policy did not allow it). Please try again; if it keeps failing, contact your IT helpdesk.',
    status: 400,
    startAgain: true,
  },
  bad_request: {
    title: 'The form could not be read',
    message: 'What the browser sent could not be read. Go back, reload the page and try again.',
    status: 400,
    startAgain: true,
  },
  not_found: {
    title: 'Page not found',
    message: 'There is no page at this address.',
    status: 404,
    startAgain: true,
  },
};
