/** Tables of authority hosts and tenants: which are accepted, normalised how, and which refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorityError,
  buildTokenUrl,
  isLoopbackHostname,
  normaliseAuthorityHost,
  normaliseTenant,
  parseAllowedHosts,
  type AuthorityPolicy,
} from './authority.js';

const STRICT: AuthorityPolicy = { allowedHosts: [], allowLoopback: false };
const LOOPBACK: AuthorityPolicy = { allowedHosts: [], allowLoopback: true };
const ALLOWING: AuthorityPolicy = { allowedHosts: ['login.example.net', 'sts.example.org:8443'], allowLoopback: false };

function throwsCode(fn: () => unknown, code: string, aadsts?: number): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AuthorityError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.aadsts, aadsts);
    return true;
  });
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

  const refused: Array<[string, AuthorityPolicy, string]> = [
    ['http://login.microsoftonline.com', STRICT, 'authority_not_allowed'],
    ['http://login.microsoftonline.com', LOOPBACK, 'authority_not_allowed'],
    ['https://evil.example.com', STRICT, 'authority_not_allowed'],
    ['https://login.microsoftonline.com.evil.example', STRICT, 'authority_not_allowed'],
    ['https://login.microsoftonline.com:8443', STRICT, 'authority_not_allowed'],
    ['https://login.example.net:444', ALLOWING, 'authority_not_allowed'],
    ['https://sts.example.org', ALLOWING, 'authority_not_allowed'],
    ['http://127.0.0.1:4010', STRICT, 'authority_not_allowed'],
    ['http://localhost', STRICT, 'authority_not_allowed'],
    ['http://10.0.0.1', LOOPBACK, 'authority_not_allowed'],
    ['http://128.0.0.1', LOOPBACK, 'authority_not_allowed'],
    ['http://localhost.evil.example', LOOPBACK, 'authority_not_allowed'],
    ['https://login.microsoftonline.com/contoso.com', STRICT, 'authority_invalid'],
    ['https://login.microsoftonline.com/?x=1', STRICT, 'authority_invalid'],
    ['https://login.microsoftonline.com/#frag', STRICT, 'authority_invalid'],
    ['https://user:pw@login.microsoftonline.com', STRICT, 'authority_invalid'],
    ['ftp://login.microsoftonline.com', STRICT, 'authority_invalid'],
    ['login.microsoftonline.com', STRICT, 'authority_invalid'],
    ['not a url', STRICT, 'authority_invalid'],
  ];
  for (const [input, policy, code] of refused) {
    it(`refuses ${input} (${code})`, () => throwsCode(() => normaliseAuthorityHost(input, policy), code));
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
    it(`refuses ${JSON.stringify(input)} (${code})`, () => throwsCode(() => normaliseTenant(input), code, aadsts));
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
    it(`refuses ${bad}`, () => throwsCode(() => parseAllowedHosts(bad), 'authority_invalid'));
  }
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
