import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configRows } from '@tollgate/config';
import { Subjects } from '@tollgate/contracts';
import { configSources } from './config-sources.js';
import { MANIFESTS, SERVICE_NAMES, START_ORDER } from './service-registry.js';

test('the start order the manifests give is the one Tollgate has always had, the portal after the admin API it asks', () => {
  assert.deepEqual(
    START_ORDER.map((m) => m.name),
    ['otp-verifier', 'entra-verifier', 'ldap-verifier', 'aggregator', 'admin-api', 'radius-gateway', 'enrollment-portal'],
  );
  assert.deepEqual(SERVICE_NAMES, [
    'radius-gateway',
    'aggregator',
    'otp-verifier',
    'entra-verifier',
    'ldap-verifier',
    'admin-api',
    'enrollment-portal',
  ]);
});

test('only the portal may run without the master key, and it declares no database or state store', () => {
  const keyless = MANIFESTS.filter((m) => m.secrets === 'portal-key');
  assert.deepEqual(
    keyless.map((m) => m.name),
    ['enrollment-portal'],
  );
  for (const m of keyless) assert.deepEqual(m.backends, ['bus'], m.name);
  // It asks only portal subjects: the ones its key opens.
  for (const m of keyless) for (const s of m.bus.requests) assert.match(Subjects[s], /^portal\.v1\./, `${m.name}: ${s}`);
});

test('every subject a service requests is served by exactly one service it depends on', () => {
  const servers = new Map<string, string[]>();
  for (const m of MANIFESTS) for (const s of m.bus.serves) servers.set(s, [...(servers.get(s) ?? []), m.name]);
  for (const [subject, by] of servers) assert.equal(by.length, 1, `${subject} is served by ${by.join(' and ')}`);
  for (const m of MANIFESTS) {
    for (const s of m.bus.requests) {
      const server = servers.get(s)?.[0];
      assert.ok(server, `${m.name} requests ${s}, which no service serves`);
      assert.ok(m.dependsOn.includes(server), `${m.name} requests ${s} from ${server} but does not depend on it`);
    }
  }
  const known = new Set(Object.keys(Subjects));
  for (const m of MANIFESTS)
    for (const s of Object.values(m.bus).flat()) assert.ok(known.has(s), `${m.name}: ${s} is not a subject in libs/contracts`);
});

test("every listener's address and port are keys of its service's configuration", () => {
  for (const m of MANIFESTS) {
    for (const l of m.listens) {
      assert.ok(l.bindKey in m.config, `${m.name}: ${l.bindKey}`);
      assert.ok(l.portKey in m.config, `${m.name}: ${l.portKey}`);
    }
  }
});

test('every configuration key is described (the README table is built from them)', () => {
  const rows = configRows(configSources());
  for (const m of MANIFESTS)
    for (const key of Object.keys(m.config))
      assert.ok(
        rows.some((r) => r.key === key && r.usedBy.includes(m.name)),
        `${m.name}: ${key}`,
      );
});

/** The `tollgate_*` names in a package's compiled production code (tests and test helpers left out). */
function metricNamesIn(dist: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing' && entry.name !== 'e2e') walk(full);
      } else if (entry.name.endsWith('.js') && !entry.name.endsWith('.test.js')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/['"`](tollgate_[a-z0-9_]+)['"`]/g)) names.add(match[1]!);
      }
    }
  };
  walk(dist);
  return names;
}

test("each manifest's metrics are exactly the metric names its package's code registers", () => {
  for (const m of MANIFESTS) {
    const dist = path.dirname(fileURLToPath(import.meta.resolve(`@tollgate/${m.name}`)));
    assert.deepEqual([...m.metrics].sort(), [...metricNamesIn(dist)].sort(), m.name);
  }
});
