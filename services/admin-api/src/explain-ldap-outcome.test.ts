import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LdapOutcomes } from '@tollgate/contracts';
import { explainLdapOutcome } from './explain-ldap-outcome.js';

test('explainLdapOutcome: a sentence for every outcome, naming what to change where the settings are at fault', () => {
  const cases: [Parameters<typeof explainLdapOutcome>[0], RegExp][] = [
    [{ outcome: 'password_ok', stage: 'bind' }, /Password verified/],
    [{ outcome: 'invalid_credentials', stage: 'search' }, /No entry matches the user filter/],
    [{ outcome: 'invalid_credentials', stage: 'bind', subCode: '52e' }, /rejected the password \(AD data 52e\)/],
    [{ outcome: 'locked', stage: 'bind', subCode: '775' }, /locked \(AD data 775\)/],
    [{ outcome: 'locked', stage: 'bind' }, /ppolicy/],
    [{ outcome: 'disabled', stage: 'bind', subCode: '533' }, /disabled \(AD data 533\)/],
    [{ outcome: 'account_expired', stage: 'bind', subCode: '701' }, /expired \(AD data 701\)/],
    [{ outcome: 'password_expired', stage: 'bind', subCode: '532' }, /password has expired/],
    [{ outcome: 'must_change_password', stage: 'bind', subCode: '773' }, /must change the password/],
    [{ outcome: 'restricted', stage: 'bind', subCode: '530' }, /logon hours/],
    [{ outcome: 'config_error', stage: 'service_bind' }, /check bindDn and bindPassword/],
    [{ outcome: 'config_error', stage: 'search' }, /check baseDn, userFilter/],
    [{ outcome: 'config_error' }, /not usable/],
    [{ outcome: 'unavailable', stage: 'tls' }, /caCertificate/],
    [{ outcome: 'unavailable', stage: 'connect' }, /No directory server answered/],
    [{ outcome: 'not_configured' }, /enable it/],
  ];
  for (const [answer, message] of cases) assert.match(explainLdapOutcome(answer), message, JSON.stringify(answer));
  const covered = new Set(cases.map(([a]) => a.outcome));
  assert.deepEqual(
    LdapOutcomes.filter((o) => !covered.has(o)),
    [],
  );
});
