/**
 * The enrolment link email: the portal settings' subject and template filled in, sent through the
 * SMTP server of the fallback-code settings. Whether it went is answered as a reason, never as an
 * error message (which could quote the address or the link).
 */
import { renderTemplate } from '@tollgate/contracts';
import type { SmtpMailer } from '@tollgate/runtime';
import type { FallbackCodeSettings, PortalSettings } from '@tollgate/store';

export type EmailProblem = 'no_address' | 'email_disabled' | 'send_failed';

const SEND_TIMEOUT_MS = 10_000;

export interface LinkMail {
  to: string | null;
  upn: string;
  url: string;
  hours: number;
}

export function renderLinkEmail(portal: PortalSettings, mail: Pick<LinkMail, 'upn' | 'url' | 'hours'>): { subject: string; text: string } {
  const values = { user: mail.upn, url: mail.url, hours: String(mail.hours), organisation: portal.organisationName };
  // The subject never carries the link (its placeholders exclude {url}; a stray one stays as typed).
  const { url: _url, ...subjectValues } = values;
  return {
    subject: renderTemplate(portal.email.subject, subjectValues, 'text'),
    text: renderTemplate(portal.email.template, values, 'text'),
  };
}

/** Why a link cannot be mailed, before trying: the portal email off or no SMTP server, or no address. */
export function linkEmailProblem(portal: PortalSettings, smtp: FallbackCodeSettings['email'], to: string | null): EmailProblem | null {
  if (!portal.email.enabled || smtp.host === '' || smtp.from === '') return 'email_disabled';
  if (!to) return 'no_address';
  return null;
}

/** Sends the link; null when it went, else the problem. `onError` hears the failure (for a log line without the message). */
export async function sendLinkEmail(
  mailer: SmtpMailer,
  portal: PortalSettings,
  smtp: FallbackCodeSettings['email'],
  mail: LinkMail,
  onError: (error: unknown) => void,
): Promise<EmailProblem | null> {
  const problem = linkEmailProblem(portal, smtp, mail.to);
  if (problem) return problem;
  try {
    await mailer.send(smtp, { to: mail.to!, ...renderLinkEmail(portal, mail) }, SEND_TIMEOUT_MS);
    return null;
  } catch (error) {
    onError(error);
    return 'send_failed';
  }
}
