import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './index.js';

const shape = {
  PORT: env.port(1812),
  ENABLED: env.bool(true),
  URL: env.url(['redis']),
  NAME: z.string().min(3),
};

test('defaults and coercion', () => {
  const config = loadConfig('c', shape, { URL: 'redis://h:6379', NAME: 'abc', ENABLED: 'off' });
  assert.deepEqual(config, { PORT: 1812, ENABLED: false, URL: 'redis://h:6379', NAME: 'abc' });
});

test('empty strings count as unset', () => {
  assert.equal(loadConfig('c', shape, { URL: 'redis://h', NAME: 'abc', PORT: '' }).PORT, 1812);
});

const bad: Array<[Record<string, string>, string]> = [
  [{ URL: 'redis://h', NAME: 'abc', PORT: '70000' }, 'PORT'],
  [{ URL: 'redis://h', NAME: 'abc', PORT: 'eighteen-twelve' }, 'PORT'],
  [{ URL: 'http://h', NAME: 'abc' }, 'URL'],
  [{ URL: 'redis://h', NAME: 'ab' }, 'NAME'],
  [{ URL: 'redis://h', NAME: 'abc', ENABLED: 'maybe' }, 'ENABLED'],
  [{ NAME: 'abc' }, 'URL'],
];
for (const [input, key] of bad) {
  test(`a bad ${key} names the component and the key, not the value`, () => {
    assert.throws(
      () => loadConfig('radius-gateway', shape, input),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.key === key &&
        e.message.startsWith(`radius-gateway: configuration ${key} `) &&
        !e.message.includes(input[key] ?? '\u0000'),
    );
  });
}
