import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraOutcomes, LdapOutcomes, type PasswordSource } from '@tollgate/contracts';
import {
  nextPasswordStep,
  passwordRejectReason,
  provenAtAll,
  provenForCode,
  type PasswordVerdict,
  type SourceAnswer,
} from './password-sources.js';

const entra = (outcome: (typeof EntraOutcomes)[number]): SourceAnswer => ({ source: 'entra', outcome });
const ldap = (outcome: (typeof LdapOutcomes)[number]): SourceAnswer => ({ source: 'ldap', outcome });
const silent = (source: PasswordSource): SourceAnswer => ({ source, unavailable: true });

test('nextPasswordStep: the next source only when the one before could not judge the password', () => {
  type Step = ReturnType<typeof nextPasswordStep>;
  const cases: [string, PasswordSource[], SourceAnswer[], Step][] = [
    ['first source first', ['ldap', 'entra'], [], { ask: 'ldap' }],
    ['no sources: Entra', [], [], { ask: 'entra' }],
    ['LDAP proved it: done', ['ldap', 'entra'], [ldap('password_ok')], { verdict: ldap('password_ok') as PasswordVerdict }],
    [
      'LDAP wrong password: never Entra',
      ['ldap', 'entra'],
      [ldap('invalid_credentials')],
      { verdict: ldap('invalid_credentials') as PasswordVerdict },
    ],
    ['LDAP locked: final', ['ldap', 'entra'], [ldap('locked')], { verdict: ldap('locked') as PasswordVerdict }],
    ['LDAP config error: final', ['ldap', 'entra'], [ldap('config_error')], { verdict: ldap('config_error') as PasswordVerdict }],
    ['LDAP unavailable: Entra', ['ldap', 'entra'], [ldap('unavailable')], { ask: 'entra' }],
    ['LDAP silent on the bus: Entra', ['ldap', 'entra'], [silent('ldap')], { ask: 'entra' }],
    ['Entra unavailable: LDAP', ['entra', 'ldap'], [entra('unavailable')], { ask: 'ldap' }],
    ['Entra throttled: LDAP', ['entra', 'ldap'], [entra('throttled')], { ask: 'ldap' }],
    [
      'Entra wrong password: never LDAP',
      ['entra', 'ldap'],
      [entra('invalid_credentials')],
      { verdict: entra('invalid_credentials') as PasswordVerdict },
    ],
    ['Entra no MFA: final', ['entra', 'ldap'], [entra('no_mfa')], { verdict: entra('no_mfa') as PasswordVerdict }],
    [
      'fallback answered',
      ['ldap', 'entra'],
      [ldap('unavailable'), entra('password_ok_mfa')],
      { verdict: entra('password_ok_mfa') as PasswordVerdict },
    ],
    [
      'both unavailable: the last names it',
      ['ldap', 'entra'],
      [ldap('unavailable'), entra('unavailable')],
      { verdict: entra('unavailable') as PasswordVerdict },
    ],
    ['the only source unavailable', ['ldap'], [ldap('unavailable')], { verdict: ldap('unavailable') as PasswordVerdict }],
    ['nobody on the bus', ['ldap', 'entra'], [silent('ldap'), silent('entra')], { verdict: { unavailable: true } }],
  ];
  for (const [name, sources, answers, expected] of cases) assert.deepEqual(nextPasswordStep(sources, answers), expected, name);
});

test('provenForCode: Entra with MFA, or an LDAP bind; provenAtAll adds Entra without MFA', () => {
  for (const o of EntraOutcomes) {
    assert.equal(provenForCode(entra(o) as PasswordVerdict), o === 'password_ok_mfa', o);
    assert.equal(provenForCode({ outcome: o }), o === 'password_ok_mfa', `${o} without source`);
    assert.equal(provenAtAll(entra(o) as PasswordVerdict), o === 'password_ok_mfa' || o === 'no_mfa', o);
  }
  for (const o of LdapOutcomes) {
    assert.equal(provenForCode(ldap(o) as PasswordVerdict), o === 'password_ok', o);
    assert.equal(provenAtAll(ldap(o) as PasswordVerdict), o === 'password_ok', o);
  }
  assert.equal(provenForCode({ unavailable: true }), false);
  assert.equal(provenForCode({ notAsked: true }), false);
});

test('passwordRejectReason names the source that decided', () => {
  const cases: [PasswordVerdict, string][] = [
    [ldap('invalid_credentials') as PasswordVerdict, 'ldap.invalid_credentials'],
    [ldap('locked') as PasswordVerdict, 'ldap.locked'],
    [ldap('disabled') as PasswordVerdict, 'ldap.disabled'],
    [ldap('account_expired') as PasswordVerdict, 'ldap.account_expired'],
    [ldap('password_expired') as PasswordVerdict, 'ldap.password_expired'],
    [ldap('must_change_password') as PasswordVerdict, 'ldap.must_change_password'],
    [ldap('restricted') as PasswordVerdict, 'ldap.restricted'],
    [ldap('config_error') as PasswordVerdict, 'ldap.config_error'],
    [ldap('unavailable') as PasswordVerdict, 'ldap.unavailable'],
    [ldap('not_configured') as PasswordVerdict, 'ldap.not_configured'],
    [entra('invalid_credentials') as PasswordVerdict, 'entra.invalid_credentials'],
    [{ outcome: 'locked' }, 'entra.locked'],
    [{ unavailable: true }, 'verifier.unavailable'],
  ];
  for (const [verdict, reason] of cases) assert.equal(passwordRejectReason(verdict), reason, JSON.stringify(verdict));
});
