#!/usr/bin/env node
/**
 * The lists that must name every workspace, checked against the workspaces themselves (the root
 * package.json's `libs/*` and `services/*`), so a new package cannot be half added:
 *
 *   - the root tsconfig.json references every workspace (tsc -b builds only what it references);
 *   - each workspace's tsconfig.json references exactly the @tollgate packages of its package.json
 *     (dependencies and devDependencies), so the build order follows the imports;
 *   - every service (services/*) is a dependency of the launcher and registered in its
 *     MANIFESTS (libs/launcher/src/service-registry.ts), under its directory's name.
 *
 *   node scripts/check-workspaces.mjs           exit 1 naming every gap (CI)
 *   node scripts/check-workspaces.mjs --write   fix the tsconfig references (the registry is code: edit it)
 *
 * The registry check needs the workspace built (`npm run build`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workspaces } from '../deploy/docker/assemble-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv[2] === '--write';
if (process.argv[2] !== undefined && !write) {
  console.error('usage: node scripts/check-workspaces.mjs [--write]');
  process.exit(2);
}

const problems = [];
const fixed = [];
const all = workspaces(root);
const byName = new Map(all.map((w) => [w.name, w]));
const readJson = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

/** Checks (and with --write, fixes) one tsconfig's references against the directories it should reference. */
function checkReferences(file, wanted, spell) {
  const config = readJson(file);
  const dir = path.dirname(file);
  const current = (config.references ?? []).map((r) => path.normalize(path.join(dir, r.path)));
  const missing = wanted.filter((w) => !current.includes(w));
  const extra = current.filter((c) => !wanted.includes(c));
  if (missing.length === 0 && extra.length === 0) return;
  if (write) {
    config.references = [
      ...(config.references ?? []).filter((r) => wanted.includes(path.normalize(path.join(dir, r.path)))),
      ...missing.map((m) => ({ path: spell(m) })),
    ];
    writeFileSync(path.join(root, file), `${JSON.stringify(config, null, 2)}\n`);
    fixed.push(file);
    return;
  }
  for (const m of missing) problems.push(`${file} does not reference ${m}`);
  for (const e of extra)
    problems.push(`${file} references ${e}, which ${all.some((w) => w.dir === e) ? 'is not in its package.json' : 'is not a workspace'}`);
}

checkReferences(
  'tsconfig.json',
  all.map((w) => w.dir),
  (d) => `./${d}`,
);
for (const ws of all) {
  const file = `${ws.dir}/tsconfig.json`;
  if (!existsSync(path.join(root, file))) {
    problems.push(`${file} is missing`);
    continue;
  }
  const names = Object.keys({ ...ws.packageJson.dependencies, ...ws.packageJson.devDependencies }).filter((n) =>
    n.startsWith('@tollgate/'),
  );
  for (const n of names) if (!byName.has(n)) problems.push(`${ws.dir}/package.json depends on ${n}, which is no workspace`);
  checkReferences(
    file,
    names.filter((n) => byName.has(n)).map((n) => byName.get(n).dir),
    (d) => `../../${d}`,
  );
}

const launcher = byName.get('@tollgate/launcher');
const services = all.filter((w) => w.dir.startsWith('services/'));
for (const s of services) {
  if (!launcher.packageJson.dependencies?.[s.name])
    problems.push(`libs/launcher/package.json does not depend on ${s.name} (the launcher runs every service)`);
}
const entry = path.join(root, 'libs/launcher/dist/index.js');
if (!existsSync(entry)) {
  problems.push('libs/launcher/dist is missing: build the workspace first (npm run build) to check the service registry');
} else {
  const { MANIFESTS } = await import(pathToFileURL(entry).href);
  const registered = new Set(MANIFESTS.map((m) => m.name));
  for (const s of services) {
    const name = path.basename(s.dir);
    if (!registered.has(name)) problems.push(`${s.dir} has no manifest named ${name} in MANIFESTS (libs/launcher/src/service-registry.ts)`);
  }
  for (const name of registered)
    if (!services.some((s) => path.basename(s.dir) === name))
      problems.push(`MANIFESTS registers ${name}, which is not a directory under services/`);
}

for (const f of fixed) console.log(`check-workspaces: rewrote the references of ${f}`);
if (problems.length) {
  for (const p of problems) console.error(`check-workspaces: ${p}`);
  console.error(
    write
      ? 'check-workspaces: fix the rest by hand'
      : 'check-workspaces: `node scripts/check-workspaces.mjs --write` fixes the tsconfig references',
  );
  process.exit(1);
}
console.log(`check-workspaces: ${all.length} workspaces, ${services.length} services: every list names them`);
