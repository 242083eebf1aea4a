import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeFilterValue, fillFilter, filterTemplateProblem, ldapUrlProblem, userFilterValues } from './ldap-filter.js';

test('escapeFilterValue escapes the five characters of RFC 4515 and nothing else', () => {
  const cases: [string, string][] = [
    ['alice', 'alice'],
    ['*)(uid=*', '\\2a\\29\\28uid=\\2a'],
    ['a\\b', 'a\\5cb'],
    ['nul\u0000x', 'nul\\00x'],
    ['*', '\\2a'],
    ["jürgen.o'brien", "jürgen.o'brien"],
    ['(&(objectClass=*))', '\\28&\\28objectClass=\\2a\\29\\29'],
  ];
  for (const [input, expected] of cases) assert.equal(escapeFilterValue(input), expected, input);
});

test('fillFilter fills {local} and {upn} escaped, leaving unknown placeholders', () => {
  const cases: [string, string, string][] = [
    ['(uid={local})', 'alice@corp.example', '(uid=alice)'],
    ['(&(objectClass=user)(sAMAccountName={local}))', 'bob@corp.example', '(&(objectClass=user)(sAMAccountName=bob))'],
    ['(userPrincipalName={upn})', 'bob@corp.example', '(userPrincipalName=bob@corp.example)'],
    ['(uid={local})', '*)(uid=*@corp.example', '(uid=\\2a\\29\\28uid=\\2a)'],
    ['(uid={local})', 'noatsign', '(uid=noatsign)'],
    ['(uid={other})', 'a@b', '(uid={other})'],
  ];
  for (const [template, upn, expected] of cases) assert.equal(fillFilter(template, userFilterValues(upn)), expected, `${template} ${upn}`);
});

test('userFilterValues splits at the last @', () => {
  assert.deepEqual(userFilterValues('a@b@corp'), { local: 'a@b', upn: 'a@b@corp' });
});

test('filterTemplateProblem accepts one filter with a placeholder and names what is wrong otherwise', () => {
  const allowed = ['local', 'upn'];
  const cases: [string, RegExp | undefined][] = [
    ['(uid={local})', undefined],
    ['(&(objectClass=user)(sAMAccountName={local}))', undefined],
    ['(|(mail={upn})(uid={local}))', undefined],
    ['(cn=a\\29b{local})', undefined],
    ['uid={local}', /parentheses/],
    ['(uid={local}', /parentheses/],
    ['(uid={local}))(', /parentheses/],
    ['(uid={local})(cn=x)', /one filter/],
    ['(uid=alice)', /must use/],
    ['(uid={dn})', /must not use \{dn\}/],
  ];
  for (const [template, problem] of cases) {
    const got = filterTemplateProblem(template, allowed);
    if (problem === undefined) assert.equal(got, undefined, template);
    else assert.match(got ?? '', problem, template);
  }
});

test('ldapUrlProblem: ldaps, ldap with StartTLS, or ldap when insecure is allowed', () => {
  const cases: [string, boolean, boolean, RegExp | undefined][] = [
    ['ldaps://dc1.corp:636', false, false, undefined],
    ['ldap://dc1.corp:389', true, false, undefined],
    ['ldap://dc1.corp:389', false, true, undefined],
    ['ldap://dc1.corp:389', false, false, /clear/],
    ['https://dc1.corp', false, false, /ldaps/],
    ['ldaps://user:pw@dc1.corp', false, false, /host and port only/],
    ['ldaps://dc1.corp/dc=corp', false, false, /host and port only/],
    ['not a url', false, false, /must be a url/],
  ];
  for (const [url, startTls, allowInsecure, problem] of cases) {
    const got = ldapUrlProblem(url, { startTls, allowInsecure });
    if (problem === undefined) assert.equal(got, undefined, url);
    else assert.match(got ?? '', problem, url);
  }
});
