import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FALLBACK_CODES, withPortalDefaults } from '@tollgate/store';
import { linkEmailProblem, renderLinkEmail } from './enrollment-link-mail.js';

const smtp = { ...DEFAULT_FALLBACK_CODES.email, host: 'smtp.contoso.com', from: 'tollgate@contoso.com' };
const portal = withPortalDefaults({
  organisationName: 'Contoso',
  email: { enabled: true, subject: '{organisation}: {user} {url}', template: '{user} {url} {hours} {organisation} {code}' },
});

test('the placeholders filled; the subject never carries the link; unknown ones stay as typed', () => {
  const mail = renderLinkEmail(portal, { upn: 'ann@contoso.com', url: 'https://enrol.contoso.com/l/abc', hours: 72 });
  assert.equal(mail.subject, 'Contoso: ann@contoso.com {url}');
  assert.equal(mail.text, 'ann@contoso.com https://enrol.contoso.com/l/abc 72 Contoso {code}');
  const defaults = renderLinkEmail(withPortalDefaults(null), { upn: 'ann@contoso.com', url: 'https://x/l/abc', hours: 5 });
  assert.match(defaults.text, /https:\/\/x\/l\/abc/);
  assert.match(defaults.text, /5 hours/);
});

test('why a link cannot be mailed', () => {
  const table: Array<[string, Parameters<typeof linkEmailProblem>, string | null]> = [
    ['ready', [portal, smtp, 'ann@mail.contoso.com'], null],
    ['portal email off', [withPortalDefaults(null), smtp, 'ann@mail.contoso.com'], 'email_disabled'],
    ['no SMTP server', [portal, { ...smtp, host: '' }, 'ann@mail.contoso.com'], 'email_disabled'],
    ['no sender', [portal, { ...smtp, from: '' }, 'ann@mail.contoso.com'], 'email_disabled'],
    ['no address', [portal, smtp, null], 'no_address'],
  ];
  for (const [label, args, problem] of table) assert.equal(linkEmailProblem(...args), problem, label);
});
