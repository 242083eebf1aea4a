#!/usr/bin/env node
// Draws a flame graph (SVG) of a V8 .cpuprofile: one box per function on a stack, as wide as
// the sampled time spent in it and its callees; the root at the bottom, callees above. Idle time
// is left out; boxes narrower than --min-percent are dropped to keep the file small. Colour
// says where the code lives (a Tollgate workspace, an npm package, node itself, V8).
//
//   node scripts/flame-graph.mjs [--skip-ms 0] [--min-percent 0.1] [--title T] FILE.cpuprofile OUT.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'skip-ms': { type: 'string', default: '0' },
    'min-percent': { type: 'string', default: '0.1' },
    title: { type: 'string' },
    width: { type: 'string', default: '1200' },
  },
});
const [input, output] = positionals;
if (!input || !output) {
  console.error('usage: flame-graph.mjs [--skip-ms N] [--min-percent P] [--title T] FILE.cpuprofile OUT.svg');
  process.exit(2);
}
const WIDTH = Number(args.width);
const ROW = 16;
const SKIP_US = Number(args['skip-ms']) * 1000;

const profile = JSON.parse(readFileSync(input, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Self time per profile node, from the samples after --skip-ms.
const self = new Map();
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  if (t - profile.startTime < SKIP_US) continue;
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}

const label = (cf) => {
  const file = cf.url ? cf.url.replace(/^.*\/(node_modules|libs|services)\//, '$1/').replace(/^file:\/\//, '') : '';
  return `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
};
const area = (cf) => {
  if (!cf.url) return cf.functionName.startsWith('(') ? 'v8' : 'native';
  if (cf.url.includes('node_modules/')) return 'package';
  if (/\/(libs|services)\//.test(cf.url)) return 'tollgate';
  return cf.url.startsWith('node:') ? 'node' : 'other';
};
const HUES = { tollgate: 120, package: 30, node: 210, native: 280, v8: 0, other: 60 };

// A merged tree: children with the same label are one box.
function build(node) {
  const out = { name: label(node.callFrame), area: area(node.callFrame), value: self.get(node.id) ?? 0, children: new Map() };
  for (const childId of node.children ?? []) {
    const child = byId.get(childId);
    if (child.callFrame.functionName === '(idle)') continue;
    const built = build(child);
    const same = out.children.get(built.name);
    if (same) merge(same, built);
    else out.children.set(built.name, built);
  }
  out.value += [...out.children.values()].reduce((sum, c) => sum + c.value, 0);
  return out;
}
function merge(into, from) {
  into.value += from.value;
  for (const [name, child] of from.children) {
    const same = into.children.get(name);
    if (same) merge(same, child);
    else into.children.set(name, child);
  }
}
const root = build(profile.nodes[0]);
root.name = 'all';
const minValue = (root.value * Number(args['min-percent'])) / 100;

const boxes = [];
let depth = 0;
(function place(node, x, level) {
  if (node.value < minValue) return;
  depth = Math.max(depth, level);
  boxes.push({ node, x, level });
  let cx = x;
  for (const child of [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    place(child, cx, level + 1);
    cx += child.value;
  }
})(root, 0, 0);

const scale = WIDTH / root.value;
const height = (depth + 1) * ROW + 40;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const colour = (name, kind) => {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${(HUES[kind] + (h % 30) + 345) % 360},${55 + (h % 20)}%,${62 + (h % 12)}%)`;
};
const title = args.title ?? basename(input);
const parts = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">`,
  `<title>CPU flame graph: ${esc(title)}</title>`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  `<text x="4" y="14" font-size="13">${esc(title)} — ${(root.value / 1000).toFixed(0)} ms on CPU sampled; green: Tollgate, orange: npm packages, blue: node, purple: native, red: V8 (GC)</text>`,
];
for (const { node, x, level } of boxes) {
  const w = node.value * scale;
  const y = height - (level + 1) * ROW - 4;
  const pct = ((100 * node.value) / root.value).toFixed(1);
  const text = w > 40 ? esc(node.name.slice(0, Math.floor((w - 4) / 6.6))) : '';
  parts.push(
    `<g><title>${esc(node.name)} — ${(node.value / 1000).toFixed(0)} ms, ${pct}%</title>` +
      `<rect x="${(x * scale).toFixed(1)}" y="${y}" width="${Math.max(0.5, w - 0.5).toFixed(1)}" height="${ROW - 1}" fill="${colour(node.name, node.area)}"/>` +
      (text ? `<text x="${(x * scale + 2).toFixed(1)}" y="${y + 11}">${text}</text>` : '') +
      '</g>',
  );
}
parts.push('</svg>');
writeFileSync(output, `${parts.join('\n')}\n`);
console.error(`${output}: ${boxes.length} boxes, ${depth + 1} rows`);
