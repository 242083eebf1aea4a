import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ConfigTableError,
  configRows,
  type ConfigSource,
  describeKey,
  env,
  formatConfigTable,
  keyDoc,
  loadConfig,
  shownDefault,
} from './index.js';

const shared = describeKey(env.bool(false), 'read by both');
const sources: ConfigSource[] = [
  {
    usedBy: 'all',
    shape: {
      PORT: describeKey(env.port(1812), 'the port'),
      URL: describeKey(env.optionalUrl(['redis']), 'where | it is', '(unset: memory)'),
    },
  },
  { usedBy: 'gateway', shape: { SHARED: shared, NAME: describeKey(env.string('x'), 'a name') } },
  { usedBy: 'admin', shape: { SHARED: shared } },
];

test('describeKey keeps the schema as it parses and carries the documentation', () => {
  const plain = env.int(5, 1, 9);
  const described = describeKey(env.int(5, 1, 9), 'five', '`5` (five)');
  assert.deepEqual(loadConfig('c', { N: described }, { N: '7' }), loadConfig('c', { N: plain }, { N: '7' }));
  assert.throws(() => loadConfig('c', { N: described }, { N: '10' }), /c: configuration N /);
  assert.deepEqual(keyDoc(described), { description: 'five', shownDefault: '`5` (five)' });
  assert.equal(keyDoc(plain), undefined);
});

const defaults: Array<[string, z.ZodType, string]> = [
  ['a number', env.int(2800, 1, 10_000), '`2800`'],
  ['a boolean, after its transform', env.bool(true), '`true`'],
  ['a string', env.string('tollgate:'), '`tollgate:`'],
  ['absent when unset', z.string().optional(), ''],
  ['a required key', z.string(), ''],
  ['the described text wins', describeKey(env.port(514), 'p', '`514` (`6514` for TLS)'), '`514` (`6514` for TLS)'],
];
for (const [name, schema, expected] of defaults) {
  test(`shown default: ${name}`, () => assert.equal(shownDefault(schema), expected));
}

test('rows in source order; a key read by several components is one row naming them all', () => {
  const rows = configRows(sources);
  assert.deepEqual(
    rows.map((r) => r.key),
    ['PORT', 'URL', 'SHARED', 'NAME'],
  );
  assert.deepEqual(rows.find((r) => r.key === 'SHARED')?.usedBy, ['gateway', 'admin']);
  assert.deepEqual(rows[1], { key: 'URL', default: '(unset: memory)', usedBy: ['all'], meaning: 'where | it is' });
});

test('the markdown table escapes pipes and leaves an empty default empty', () => {
  const table = formatConfigTable(configRows(sources));
  assert.equal(
    table,
    [
      '| key | default | used by | meaning |',
      '|---|---|---|---|',
      '| `PORT` | `1812` | all | the port |',
      '| `URL` | (unset: memory) | all | where \\| it is |',
      '| `SHARED` | `false` | gateway, admin | read by both |',
      '| `NAME` | `x` | gateway | a name |',
      '',
    ].join('\n'),
  );
});

test('a key without a description stops the table, naming the component and the key', () => {
  assert.throws(
    () => configRows([{ usedBy: 'aggregator', shape: { UNDOCUMENTED: env.int(1, 0, 2) } }]),
    (e: unknown) =>
      e instanceof ConfigTableError &&
      e.code === 'key_undescribed' &&
      e.key === 'UNDOCUMENTED' &&
      /^aggregator: configuration UNDOCUMENTED has no description/.test(e.message),
  );
});
