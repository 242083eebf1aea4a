/** Tables of authority hosts and tenants: which are accepted, normalised how, and which refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  AllowedAuthorityHosts,
  AuthorityError,
  STRICT_AUTHORITY_POLICY as STRICT,
  buildTokenUrl,
  isDnsDomain,
  isGuid,
  isLoopbackHostname,
  normaliseAuthorityHost,
  normaliseTenant,
  parseAllowedHosts,
  type AuthorityPolicy,
} from './entra-authority.js';

const LOOPBACK: AuthorityPolicy = { allowedHosts: [], allowLoopback: true };
const ALLOWING: AuthorityPolicy = { allowedHosts: ['login.example.net', 'sts.example.org:8443'], allowLoopback: false };

function throwsCode(fn: () => unknown, code: string, aadsts?: number, message?: RegExp): AuthorityError {
  let thrown: AuthorityError | undefined;
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AuthorityError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.aadsts, aadsts);
    if (message) assert.match(error.message, message);
    thrown = error;
    return true;
  });
  return thrown!;
}

describe('normaliseAuthorityHost', () => {
  const accepted: Array<[string | null | undefined, AuthorityPolicy, string]> = [
    [undefined, STRICT, 'https://login.microsoftonline.com'],
    [null, STRICT, 'https://login.microsoftonline.com'],
    ['', STRICT, 'https://login.microsoftonline.com'],
    ['  ', STRICT, 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com', STRICT, 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/', STRICT, 'https://login.microsoftonline.com'],
    ['HTTPS://LOGIN.MicrosoftOnline.COM', STRICT, 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com:443', STRICT, 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.us', STRICT, 'https://login.microsoftonline.us'],
    ['https://login.partner.microsoftonline.cn/', STRICT, 'https://login.partner.microsoftonline.cn'],
    ['https://login.example.net', ALLOWING, 'https://login.example.net'],
    ['https://sts.example.org:8443', ALLOWING, 'https://sts.example.org:8443'],
    ['http://127.0.0.1:4010', LOOPBACK, 'http://127.0.0.1:4010'],
    ['http://127.1.2.3:80', LOOPBACK, 'http://127.1.2.3'],
    ['http://localhost:9', LOOPBACK, 'http://localhost:9'],
    ['http://[::1]:8080/', LOOPBACK, 'http://[::1]:8080'],
    ['https://127.0.0.1:8443', LOOPBACK, 'https://127.0.0.1:8443'],
  ];
  for (const [input, policy, expected] of accepted) {
    it(`accepts ${JSON.stringify(input)} -> ${expected}`, () => {
      assert.equal(normaliseAuthorityHost(input, policy), expected);
    });
  }

  // How to allow a refused host is part of the message: the admin reads it in the API's 400.
  const LOOPBACK_HINT = /loopback address.*ENTRA_ALLOW_LOOPBACK_AUTHORITY=true/;
  const ALLOW_HINT = /must be a Microsoft cloud .*add it to ENTRA_ALLOWED_AUTHORITY_HOSTS/;
  const HTTPS = /^must use https/;
  const BARE = /^must be a bare origin/;
  const URL_FORM = /^must be an https URL/;
  const refused: Array<[string, AuthorityPolicy, string, RegExp]> = [
    ['http://login.microsoftonline.com', STRICT, 'authority_not_allowed', HTTPS],
    ['http://login.microsoftonline.com', LOOPBACK, 'authority_not_allowed', HTTPS],
    ['http://login.example.net', ALLOWING, 'authority_not_allowed', HTTPS],
    ['https://evil.example.com', STRICT, 'authority_not_allowed', ALLOW_HINT],
    ['https://login.microsoftonline.com.evil.example', STRICT, 'authority_not_allowed', ALLOW_HINT],
    ['https://login.microsoftonline.com:8443', STRICT, 'authority_not_allowed', /to use login\.microsoftonline\.com:8443,/],
    ['https://login.example.net:444', ALLOWING, 'authority_not_allowed', ALLOW_HINT],
    ['https://sts.example.org', ALLOWING, 'authority_not_allowed', ALLOW_HINT],
    ['http://127.0.0.1:4010', STRICT, 'authority_not_allowed', LOOPBACK_HINT],
    ['https://127.0.0.1:8443', STRICT, 'authority_not_allowed', LOOPBACK_HINT],
    ['http://localhost', STRICT, 'authority_not_allowed', LOOPBACK_HINT],
    ['http://[::1]:8080', ALLOWING, 'authority_not_allowed', LOOPBACK_HINT],
    ['http://10.0.0.1', LOOPBACK, 'authority_not_allowed', HTTPS],
    ['http://128.0.0.1', LOOPBACK, 'authority_not_allowed', HTTPS],
    ['http://localhost.evil.example', LOOPBACK, 'authority_not_allowed', HTTPS],
    ['https://login.microsoftonline.com/contoso.com', STRICT, 'authority_invalid', BARE],
    ['https://login.microsoftonline.com/?x=1', STRICT, 'authority_invalid', BARE],
    ['https://login.microsoftonline.com/#frag', STRICT, 'authority_invalid', BARE],
    ['https://user:pw@login.microsoftonline.com', STRICT, 'authority_invalid', BARE],
    ['http://127.0.0.1:4010/tenant', LOOPBACK, 'authority_invalid', BARE],
    ['ftp://login.microsoftonline.com', STRICT, 'authority_invalid', URL_FORM],
    ['ftp://127.0.0.1', LOOPBACK, 'authority_invalid', URL_FORM],
    ['login.microsoftonline.com', STRICT, 'authority_invalid', URL_FORM],
    ['not a url', STRICT, 'authority_invalid', URL_FORM],
  ];
  for (const [input, policy, code, message] of refused) {
    it(`refuses ${input} (${code})`, () => {
      const error = throwsCode(() => normaliseAuthorityHost(input, policy), code, undefined, message);
      assert.equal(error.field, 'authorityHost');
      assert.ok(!error.message.includes('pw'), 'credentials in the URL are not echoed');
    });
  }
});

describe('normaliseTenant', () => {
  const accepted: Array<[string, string]> = [
    ['7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8', '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8'],
    [' 7D1F2C3B-4A5E-4F60-8172-93A4B5C6D7E8 ', '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8'],
    ['contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
    ['Contoso.COM', 'contoso.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['organizations', 'organizations'],
  ];
  for (const [input, expected] of accepted) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.equal(normaliseTenant(input), expected));
  }
  const refused: Array<[string | undefined, string, number?]> = [
    ['common', 'tenant_not_supported', 9001023],
    ['Consumers', 'tenant_not_supported', 9001023],
    ['   ', 'tenant_invalid'],
    [null as unknown as undefined, 'tenant_invalid'],
    ['', 'tenant_invalid'],
    [undefined, 'tenant_invalid'],
    ['contoso', 'tenant_invalid'],
    ['contoso.com/../x', 'tenant_invalid'],
    ['a b.com', 'tenant_invalid'],
    ['-bad.com', 'tenant_invalid'],
    ['10.0.0.1', 'tenant_invalid'],
    ['7d1f2c3b-4a5e-4f60-8172', 'tenant_invalid'],
    [`${'a'.repeat(64)}.com`, 'tenant_invalid'],
  ];
  for (const [input, code, aadsts] of refused) {
    it(`refuses ${JSON.stringify(input)} (${code})`, () => {
      const error = throwsCode(
        () => normaliseTenant(input),
        code,
        aadsts,
        /^must be the tenant GUID, a verified domain or 'organizations'/,
      );
      assert.equal(error.field, 'tenantId');
      if (aadsts) assert.match(error.message, /cannot sign in with a password \(AADSTS9001023\)/);
    });
  }
});

describe('isGuid and isDnsDomain', () => {
  const cases: Array<[string, boolean, boolean]> = [
    ['7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8', true, false],
    ['7D1F2C3B-4A5E-4F60-8172-93A4B5C6D7E8', false, false], // callers lower-case first
    ['7d1f2c3b4a5e4f60817293a4b5c6d7e8', false, false],
    ['contoso.com', false, true],
    ['mail.contoso.co.uk', false, true],
    ['xn--bcher-kva.example', false, true],
    ['contoso', false, false],
    ['10.0.0.1', false, false],
    ['contoso.123', false, false],
    ['-contoso.com', false, false],
    ['contoso-.com', false, false],
    ['con toso.com', false, false],
    ['contoso..com', false, false],
    [`${'a'.repeat(63)}.com`, false, true],
    [`${'a'.repeat(64)}.com`, false, false],
    [`${'a.'.repeat(126)}com`, false, false], // 255 characters
  ];
  for (const [value, guid, domain] of cases) {
    it(`${value.slice(0, 40)}: guid ${guid}, domain ${domain}`, () => {
      assert.equal(isGuid(value), guid);
      assert.equal(isDnsDomain(value), domain);
    });
  }
});

describe('buildTokenUrl', () => {
  it('builds {host}/{tenant}/oauth2/v2.0/token', () => {
    assert.equal(
      buildTokenUrl(undefined, 'contoso.onmicrosoft.com', STRICT).href,
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    assert.equal(
      buildTokenUrl('https://login.microsoftonline.us/', 'ORGANIZATIONS', STRICT).href,
      'https://login.microsoftonline.us/organizations/oauth2/v2.0/token',
    );
    assert.equal(
      buildTokenUrl('http://127.0.0.1:5000', '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8', LOOPBACK).href,
      'http://127.0.0.1:5000/7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8/oauth2/v2.0/token',
    );
  });
  it('refuses common and a foreign host', () => {
    throwsCode(() => buildTokenUrl(undefined, 'common', STRICT), 'tenant_not_supported', 9001023);
    throwsCode(() => buildTokenUrl('https://evil.example.com', 'contoso.com', STRICT), 'authority_not_allowed');
  });
});

describe('parseAllowedHosts', () => {
  const cases: Array<[string | undefined, string[]]> = [
    [undefined, []],
    ['', []],
    [' , ', []],
    ['login.example.net', ['login.example.net']],
    ['Login.Example.NET, sts.example.org:8443', ['login.example.net', 'sts.example.org:8443']],
    ['https://login.example.net/', ['login.example.net']],
    ['sts.example.org:443', ['sts.example.org']],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(parseAllowedHosts(input), expected));
  }
  for (const bad of ['http://login.example.net', 'login.example.net/path', 'user@login.example.net', 'a b', 'https://x.example/?q']) {
    it(`refuses ${bad}`, () =>
      assert.equal(throwsCode(() => parseAllowedHosts(bad), 'authority_invalid').field, 'ENTRA_ALLOWED_AUTHORITY_HOSTS'));
  }
});

describe('AllowedAuthorityHosts (the configuration value)', () => {
  const shape = z.object({ ENTRA_ALLOWED_AUTHORITY_HOSTS: AllowedAuthorityHosts });
  it('parses the list, unset meaning none', () => {
    assert.deepEqual(shape.parse({}).ENTRA_ALLOWED_AUTHORITY_HOSTS, []);
    assert.deepEqual(shape.parse({ ENTRA_ALLOWED_AUTHORITY_HOSTS: 'A.example, b.example:8443' }).ENTRA_ALLOWED_AUTHORITY_HOSTS, [
      'a.example',
      'b.example:8443',
    ]);
  });
  it('turns a bad entry into an issue on the key', () => {
    const result = shape.safeParse({ ENTRA_ALLOWED_AUTHORITY_HOSTS: 'a.example, http://b.example' });
    assert.equal(result.success, false);
    const issue = result.error!.issues[0]!;
    assert.deepEqual(issue.path, ['ENTRA_ALLOWED_AUTHORITY_HOSTS']);
    assert.match(issue.message, /"http:\/\/b\.example" must be a bare https host/);
  });
});

describe('isLoopbackHostname', () => {
  const cases: Array<[string, boolean]> = [
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['127.0.0.256', false],
    ['127.0.0', false],
    ['10.0.0.1', false],
    ['[::2]', false],
    ['localhost.example', false],
  ];
  for (const [host, expected] of cases) it(`${host} -> ${expected}`, () => assert.equal(isLoopbackHostname(host), expected));
});
