import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValue, csrfRequired, csrfValid, sessionCookie, sessionIdSha256, sessionState, type SessionState } from './session-rules.js';

const MIN = 60_000;
const limits = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
const T0 = new Date('2026-01-01T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

test('session expiry: idle and absolute timeouts', () => {
  const table: [number, number, SessionState][] = [
    [0, 0, 'valid'],
    [29, 0, 'valid'],
    [30, 0, 'idle'],
    [100, 80, 'valid'],
    [100, 70, 'idle'],
    [719, 700, 'valid'],
    [720, 719, 'expired'],
    [900, 899, 'expired'],
  ];
  for (const [now, lastSeen, expected] of table) {
    assert.equal(sessionState({ createdAt: T0, lastSeenAt: at(lastSeen) }, at(now), limits), expected, `${now} ${lastSeen}`);
  }
});

test('CSRF: required for changes only; the token must match exactly', () => {
  const methods: [string, boolean][] = [
    ['GET', false],
    ['HEAD', false],
    ['OPTIONS', false],
    ['POST', true],
    ['put', true],
    ['PATCH', true],
    ['DELETE', true],
  ];
  for (const [method, expected] of methods) assert.equal(csrfRequired(method), expected, method);
  const token = 'c'.repeat(43);
  const presented: [string | string[] | undefined, boolean][] = [
    [token, true],
    [undefined, false],
    ['', false],
    [`${token}x`, false],
    ['C'.repeat(43), false],
    [[token, token], false],
  ];
  for (const [value, expected] of presented) assert.equal(csrfValid(value, token), expected, String(value));
});

test('cookies: read by name, set HttpOnly SameSite=Strict, Secure when asked', () => {
  const table: [string | undefined, string | undefined][] = [
    ['tg_session=abc', 'abc'],
    ['a=1; tg_session=abc; b=2', 'abc'],
    ['xtg_session=abc', undefined],
    ['a=1', undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of table) assert.equal(cookieValue(header, 'tg_session'), expected, String(header));
  assert.equal(
    sessionCookie('id1', { secure: false, maxAgeSeconds: 60 }),
    'tg_session=id1; Path=/api/v1; HttpOnly; SameSite=Strict; Max-Age=60',
  );
  assert.match(sessionCookie('id1', { secure: true, maxAgeSeconds: 60 }), /; Secure$/);
  assert.match(sessionIdSha256('x'), /^[0-9a-f]{64}$/);
});
