import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PERMANENT_LOCK, adSubCode, classifyServiceFailure, classifyUserBind } from './classify-bind-result.js';

const ad = (data: string) => `80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data ${data}, v4563\u0000`;

test('classifyUserBind: Active Directory sub-codes, ppolicy locks and plain result codes', () => {
  const cases: [string, number, string, { pwdAccountLockedTime?: string }, string, string | undefined][] = [
    ['AD wrong password', 49, ad('52e'), {}, 'invalid_credentials', '52e'],
    ['AD user not found', 49, ad('525'), {}, 'invalid_credentials', '525'],
    ['AD logon hours', 49, ad('530'), {}, 'restricted', '530'],
    ['AD workstation', 49, ad('531'), {}, 'restricted', '531'],
    ['AD password expired', 49, ad('532'), {}, 'password_expired', '532'],
    ['AD disabled', 49, ad('533'), {}, 'disabled', '533'],
    ['AD account expired', 49, ad('701'), {}, 'account_expired', '701'],
    ['AD must change password', 49, ad('773'), {}, 'must_change_password', '773'],
    ['AD locked', 49, ad('775'), {}, 'locked', '775'],
    ['AD sub-code in upper case', 49, ad('52E'), {}, 'invalid_credentials', '52e'],
    ['AD sub-code wins over the entry', 49, ad('533'), { pwdAccountLockedTime: '20260101000000Z' }, 'disabled', '533'],
    ['unknown AD sub-code with 49 is a wrong password', 49, ad('999'), {}, 'invalid_credentials', '999'],
    ['OpenLDAP wrong password', 49, '', {}, 'invalid_credentials', undefined],
    ['OpenLDAP ppolicy lock', 49, '', { pwdAccountLockedTime: '20261203091500Z' }, 'locked', undefined],
    ['OpenLDAP permanent lock is disabled', 49, '', { pwdAccountLockedTime: PERMANENT_LOCK }, 'disabled', undefined],
    ['empty lock time is no lock', 49, '', { pwdAccountLockedTime: ' ' }, 'invalid_credentials', undefined],
    ['confidentiality required', 13, 'TLS required', {}, 'config_error', undefined],
    ['anonymous/inappropriate auth', 48, '', {}, 'config_error', undefined],
    ['invalid DN syntax', 34, '', {}, 'config_error', undefined],
    ['unwilling to perform', 53, '', {}, 'locked', undefined],
    ['busy', 51, '', {}, 'unavailable', undefined],
    ['server unavailable', 52, '', {}, 'unavailable', undefined],
    ['other', 80, '', {}, 'unavailable', undefined],
  ];
  for (const [name, code, message, entry, outcome, subCode] of cases) {
    const got = classifyUserBind(code, message, entry);
    assert.equal(got.outcome, outcome, name);
    assert.equal(got.subCode, subCode, name);
  }
});

test('classifyUserBind never proves a password', () => {
  for (const code of [0, 1, 8, 13, 32, 48, 49, 50, 51, 52, 53, 80]) {
    assert.notEqual(classifyUserBind(code, '', {}).outcome, 'password_ok', String(code));
  }
});

test('adSubCode reads the data field only', () => {
  assert.equal(adSubCode(ad('775')), '775');
  assert.equal(adSubCode('Invalid credentials'), undefined);
  assert.equal(adSubCode('metadata 52e'), undefined);
});

test('classifyServiceFailure: busy and unavailable are transient, the rest an admin fixes', () => {
  const cases: [number, string][] = [
    [49, 'config_error'],
    [32, 'config_error'],
    [50, 'config_error'],
    [51, 'unavailable'],
    [52, 'unavailable'],
  ];
  for (const [code, outcome] of cases) assert.equal(classifyServiceFailure(code), outcome, String(code));
});
