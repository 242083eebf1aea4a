#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) under libs/ and services/ with node's test runner.
// `--unit` skips the ones that need real servers or spawn processes (*.int.test.js, *.e2e.test.js).
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const unitOnly = process.argv.includes('--unit');
const only = process.argv.filter((a) => !a.startsWith('--')).slice(2);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.js') && full.includes(`${path.sep}dist${path.sep}`)) files.push(full);
  }
}
for (const root of ['libs', 'services']) walk(root);
let selected = files.sort();
if (unitOnly) selected = selected.filter((f) => !/\.(int|e2e)\.test\.js$/.test(f));
if (only.length) selected = selected.filter((f) => only.some((o) => f.includes(o)));
if (selected.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=4', '--test-timeout=120000', ...selected],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
