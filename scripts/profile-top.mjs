#!/usr/bin/env node
// Reads V8 .cpuprofile files (as `node --cpu-prof` or `scripts/bench.mjs --profile DIR` write them)
// and prints, per file, where the sampled time went: the top functions by self time, the top by
// total time (self + callees, each function counted once per stack), and self time by package
// (a node_modules package, a Tollgate workspace, node's own code, or V8's garbage collector).
//
//   node scripts/profile-top.mjs [--top 25] [--skip-ms 0] FILE_OR_DIR...
//
// --skip-ms leaves out the first milliseconds of each profile (start-up and warm-up).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, 'skip-ms': { type: 'string', default: '0' } },
});
const TOP = Number(args.top);
const SKIP_US = Number(args['skip-ms']) * 1000;

const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .map((f) => join(p, f))
    : [p],
);

/** Where a frame's code lives: an npm package, a workspace, node itself, or a V8 pseudo-frame. */
export function packageOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ws = url.match(/\/(libs|services)\/([^/]+)\//);
  if (ws) return `${ws[1]}/${ws[2]}`;
  if (url.startsWith('node:')) return 'node';
  return url;
}

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t - profile.startTime < SKIP_US) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const key = (n) => {
    const cf = n.callFrame;
    const where = cf.url ? `${cf.url.replace(/^.*\/(node_modules|libs|services)\//, '$1/')}:${cf.lineNumber + 1}` : '';
    return `${cf.functionName || '(anonymous)'} ${where}`.trim();
  };
  const selfBy = new Map();
  const totalBy = new Map();
  const pkgBy = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + us);
    const pkg = packageOf(n.callFrame.url, n.callFrame.functionName);
    pkgBy.set(pkg, (pkgBy.get(pkg) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + us);
    }
  }
  const idle = selfBy.get('(idle)') ?? 0;
  const busy = total - idle;
  const fmt = (m) =>
    [...m]
      .filter(([k]) => k !== '(idle)' && k !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`== ${basename(file)}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled`);
  console.log(`-- self time by package\n${fmt(pkgBy)}`);
  console.log(`-- top ${TOP} by self time\n${fmt(selfBy)}`);
  console.log(`-- top ${TOP} by total time\n${fmt(totalBy)}\n`);
}

for (const f of files) summarise(f);
