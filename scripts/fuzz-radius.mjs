#!/usr/bin/env node
// Long fuzz run of the RADIUS decoder: the same fast-check properties the suite runs with a fixed
// seed and a few hundred cases (services/radius-gateway/src/testing/decoder-properties.ts), for as many
// cases as asked. Not part of CI. Needs a build (`npm run build`).
//
//   node scripts/fuzz-radius.mjs [--runs 100000] [--seed N] [--only name[,name]]
//
// Prints, per property, how many cases ran, how long it took and the result; on a failure the
// seed, the replay path and the (shrunk) counterexample, and exits 1. The packets use a test
// secret of their own; nothing secret is printed.
import { parseArgs } from 'node:util';
import fc from 'fast-check';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: node scripts/fuzz-radius.mjs [--runs N] [--seed N] [--only randomDatagrams,mutatedSignedPackets,otherSecret,textAttributes,handlerNeverAcceptsMutations]',
  );
  process.exit(0);
}
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('--runs and --seed must be integers (runs >= 1)');
  process.exit(2);
}

let properties;
try {
  properties = await import('../services/radius-gateway/dist/testing/decoder-properties.js');
} catch (error) {
  console.error(`cannot load the decoder properties (${error.code ?? error.message}): run \`npm run build\` first`);
  process.exit(2);
}
const all = { ...properties.decoderProperties(), handlerNeverAcceptsMutations: properties.handlerNeverAcceptsMutations };
// The handler property builds a whole packet handler per case: a tenth of the runs is plenty.
const share = { handlerNeverAcceptsMutations: 0.1 };
const selected = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(all);
for (const name of selected) {
  if (!(name in all)) {
    console.error(`unknown property ${name}; known: ${Object.keys(all).join(', ')}`);
    process.exit(2);
  }
}

console.log(`fuzzing the RADIUS decoder: seed ${seed}, ${runs} runs per property (${selected.join(', ')})`);
let failed = 0;
for (const name of selected) {
  const numRuns = Math.max(1, Math.round(runs * (share[name] ?? 1)));
  const started = performance.now();
  const details = await fc.check(all[name], { seed, numRuns, endOnFailure: false });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!details.failed) {
    console.log(`  ok    ${name}: ${details.numRuns} cases (${details.numSkips} skipped) in ${seconds} s`);
    continue;
  }
  failed++;
  console.log(`  FAIL  ${name} after ${details.numRuns} cases in ${seconds} s (${details.numShrinks} shrinks)`);
  console.log(`        replay: fc.assert(property, { seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)} })`);
  console.log(`        counterexample: ${fc.stringify(details.counterexample)}`);
  const error = details.errorInstance;
  console.log(`        error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
}
console.log(failed === 0 ? 'no property failed' : `${failed} propert${failed === 1 ? 'y' : 'ies'} failed`);
process.exit(failed === 0 ? 0 : 1);
