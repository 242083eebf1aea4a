#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) under libs/ and services/ with node's test
// runner: unit and integration files four at a time, then the end-to-end files (*.e2e.test.js,
// each of which starts several Tollgate processes) one at a time, so they do not starve each
// other of the machine's two cores. `--unit` skips the files that need real servers or spawn
// processes (*.int.test.js, *.e2e.test.js). Other arguments select files by substring.
import { readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';

const unitOnly = process.argv.includes('--unit');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
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

const e2e = selected.filter((f) => f.endsWith('.e2e.test.js'));
const rest = selected.filter((f) => !f.endsWith('.e2e.test.js'));
const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };

/** Runs one batch of files, passing its output through, and returns its pass/fail counts. */
function run(batch, concurrency) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, '--test-timeout=180000', ...batch],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env,
      },
    );
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tail)?.[1] ?? 0);
      resolve({ code: code ?? 1, passed: count('pass'), failed: count('fail') });
    });
  });
}

const results = [];
if (rest.length) results.push(await run(rest, 4));
if (e2e.length) results.push(await run(e2e, 1));
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const ok = results.every((r) => r.code === 0) && failed === 0 && passed > 0;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
