/**
 * A user's enrolment links for the self-service portal: issue one (its validity, and "send by
 * email" when the user has an address), whose URL is shown this once with a copy button; the
 * links issued so far with their state, an active one revoked after confirming; a badge while the
 * user has started enrolling in the portal and not yet confirmed a code. A role that may not
 * change users sees the list only.
 */
import { useEffect, useState } from 'preact/hooks';
import { asTypedNumber } from '../../src/typed-number.js';
import type { ApiFailure } from '../api-client.js';
import { CheckboxField } from '../components/choice-fields.js';
import { CopyButton } from '../components/copy-button.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';
import { issueEnrollmentLink, listEnrollmentLinks, revokeEnrollmentLink } from '../portal-api.js';
import type { EnrollmentLinkStatus, EnrollmentLinkView, IssuedLink, LinkEmailProblem } from '../portal-types.js';

const STATUS_BADGE: Record<EnrollmentLinkStatus, string> = {
  active: 'badge badge-accept',
  used: 'badge badge-challenge',
  expired: 'badge badge-challenge',
  revoked: 'badge badge-reject',
};

const EMAIL_PROBLEM: Record<LinkEmailProblem, string> = {
  no_address: 'It was not sent by email: the user has no email address.',
  email_disabled:
    'It was not sent by email: link emails are off or no mail server is set (the Self-service portal page and the fallback codes settings).',
  send_failed: 'It was not sent by email: the mail server did not take it. Give the link to the user another way.',
};

/** "used 3 Dec 2026, 14:02:11", "revoked …", or nothing. */
function ended(link: EnrollmentLinkView): string {
  if (link.usedAt) return `used ${formatTime(link.usedAt)}`;
  if (link.revokedAt) return `revoked ${formatTime(link.revokedAt)}`;
  return '—';
}

/** The portal settings a link needs (the API names them when they are missing). */
const PORTAL_NOT_READY = ['linksEnabled', 'publicUrl'];

export function EnrollmentLinksPanel(props: { upn: string; email: string | null; pendingEnrollment: boolean; writable: boolean }) {
  const [links, setLinks] = useState<EnrollmentLinkView[] | null>(null);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const [ttlHours, setTtlHours] = useState('');
  const [sendEmail, setSendEmail] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);

  const load = () =>
    listEnrollmentLinks(props.upn).then(setLinks, (error: ApiFailure) => {
      setFailure(error);
    });
  useEffect(() => {
    void load();
  }, [props.upn]);

  const issue = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setDone(null);
    try {
      const answer = await issueEnrollmentLink(props.upn, {
        ...(ttlHours.trim() ? { ttlHours: asTypedNumber(ttlHours) } : {}),
        ...(props.email && sendEmail ? { sendEmail: true } : {}),
      });
      setTtlHours('');
      // The URL appears once the list shows its link, so the two never disagree.
      await load();
      setIssued(answer);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const revoke = async (id: string) => {
    setFailure(null);
    setDone(null);
    let revoked = false;
    try {
      await revokeEnrollmentLink(props.upn, id);
      revoked = true;
      if (issued?.id === id) setIssued(null);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
    setRevoking(null);
    await load();
    // Said once the list shows it.
    if (revoked) setDone('The link is revoked.');
  };

  const general = formLevel(failure, ['ttlHours', 'sendEmail']);
  return (
    <section class="panel">
      <h2>Enrolment links</h2>
      <p class="hint">
        A one-time link to the self-service portal, where the user proves their Entra password and sets up an authenticator app.
      </p>
      {props.pendingEnrollment && (
        <p>
          <span class="badge badge-challenge">pending enrolment</span> The user was shown a new key in the portal and has not confirmed it
          with a code yet; until then it is not used to sign in.
        </p>
      )}
      {general && (
        <Notice kind="error">
          {PORTAL_NOT_READY.includes(general.field ?? '')
            ? 'Enrolment links are not ready: an admin turns them on and sets the public URL on the Self-service portal page.'
            : general.message}
        </Notice>
      )}
      {done && <Notice kind="success">{done}</Notice>}
      {props.writable &&
        (issued ? (
          <div class="issued-link">
            <Notice kind="info">
              Copy the link now: it is shown only this once. It is valid until {formatTime(issued.expiresAt)}.
              {issued.emailed && ` It was also sent to ${props.email ?? 'the user'}.`}
              {issued.emailProblem && ` ${EMAIL_PROBLEM[issued.emailProblem]}`}
            </Notice>
            <p>
              <code class="secret link-url">{issued.url}</code>
            </p>
            <p class="row-actions">
              <CopyButton text={issued.url} label="Copy the link" />
              <button type="button" class="secondary" onClick={() => setIssued(null)}>
                Done, hide the link
              </button>
            </p>
          </div>
        ) : (
          <form onSubmit={issue} noValidate class="inline-form">
            <TextField
              name="ttlHours"
              label="Valid for (hours)"
              value={ttlHours}
              inputMode="numeric"
              onInput={setTtlHours}
              failure={failure}
              hint="From 1 to 720; empty: as set for the portal"
            />
            {props.email && (
              <CheckboxField
                name="sendEmail"
                label={`Send by email to ${props.email}`}
                checked={sendEmail}
                onChange={setSendEmail}
                failure={failure}
              />
            )}
            <button type="submit">Issue an enrolment link</button>
          </form>
        ))}
      {links && links.length === 0 && <p class="empty">No enrolment link yet.</p>}
      {links && links.length > 0 && (
        <table class="enrollment-links">
          <caption>{links.length} enrolment link(s), newest first</caption>
          <thead>
            <tr>
              <th scope="col">Issued</th>
              <th scope="col">By</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Ended</th>
              {props.writable && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {links.map((link) => (
              <tr key={link.id}>
                <td>{formatTime(link.createdAt)}</td>
                <td>{link.createdBy}</td>
                <td>{formatTime(link.expiresAt)}</td>
                <td>
                  <span class={STATUS_BADGE[link.status]}>{link.status}</span>
                </td>
                <td>{ended(link)}</td>
                {props.writable && (
                  <td class="row-actions">
                    {link.status === 'active' &&
                      (revoking === link.id ? (
                        <>
                          <button type="button" class="danger" onClick={() => revoke(link.id)}>
                            Revoke for good<span class="visually-hidden"> the link issued {formatTime(link.createdAt)}</span>
                          </button>
                          <button type="button" class="secondary" onClick={() => setRevoking(null)}>
                            Keep<span class="visually-hidden"> the link issued {formatTime(link.createdAt)}</span>
                          </button>
                        </>
                      ) : (
                        <button type="button" class="danger" onClick={() => setRevoking(link.id)}>
                          Revoke<span class="visually-hidden"> the link issued {formatTime(link.createdAt)}</span>
                        </button>
                      ))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
