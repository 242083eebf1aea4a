import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redirectUri } from './redirect-uri.js';

test('the redirect URI is the public URL with /callback, once the URL is one', () => {
  const cases: [string, string | null][] = [
    ['https://enrol.contoso.com', 'https://enrol.contoso.com/callback'],
    ['https://enrol.contoso.com/', 'https://enrol.contoso.com/callback'],
    ['  https://contoso.com/mfa//  ', 'https://contoso.com/mfa/callback'],
    ['https://enrol.contoso.com:8443', 'https://enrol.contoso.com:8443/callback'],
    ['http://127.0.0.1:8090', 'http://127.0.0.1:8090/callback'],
    ['', null],
    ['enrol.contoso.com', null],
    ['ftp://enrol.contoso.com', null],
    ['https://', null],
    ['https://enrol.contoso.com/?next=1', null],
    ['https://enrol.contoso.com/#top', null],
    ['https://user:pw@enrol.contoso.com', null],
    ['https://enrol contoso.com', null],
  ];
  for (const [typed, uri] of cases) assert.equal(redirectUri(typed), uri, typed);
});
