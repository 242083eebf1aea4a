/**
 * Static check of the Dockerfile and .dockerignore (no Docker engine needed): a multi-stage build
 * whose dependency layer copies every workspace's package.json (a new workspace left out would
 * break `npm ci` in the image; a `manifests` stage that copies libs/ and services/ and keeps only
 * their package.json files covers new ones by itself), a runtime stage that runs the launcher as a non-root numeric user
 * with a HEALTHCHECK, and a .dockerignore that keeps local installs and secrets out of the build
 * context without hiding anything the build copies.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
// The image's own workspace expansion and runtime plan: the check and the build agree by construction.
import { workspaceDirs } from '../../../deploy/docker/assemble-runtime.mjs';

const ASSEMBLE = 'deploy/docker/assemble-runtime.mjs';

/** Instructions of a Dockerfile: [{instruction, args, line}] with continuations joined. */
export function parseDockerfile(text) {
  const instructions = [];
  let current = '';
  let start = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    if (current === '' && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (current === '') start = i + 1;
    if (/^\s*#/.test(line)) return;
    current += line.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(line)) return;
    const match = /^\s*(\S+)\s*(.*)$/.exec(current);
    instructions.push({ instruction: match[1].toUpperCase(), args: match[2].trim(), line: start });
    current = '';
  });
  return instructions;
}

/** A .dockerignore pattern as a RegExp over slash-separated paths relative to the context. */
function ignoreRegExp(pattern) {
  const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '*' && clean[i + 1] === '*') {
      re += '.*';
      i++;
      if (clean[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern also excludes everything below a matching directory.
  return new RegExp(`^${re}(/.*)?$`);
}

export function isIgnored(file, patterns) {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    if (ignoreRegExp(negated ? raw.slice(1) : raw).test(file)) ignored = !negated;
  }
  return ignored;
}

/** The sources of a COPY (its arguments but the destination and the flags). */
const copySources = (ins) =>
  ins.args
    .split(/\s+/)
    .filter((a) => !a.startsWith('--'))
    .slice(0, -1);

/**
 * Whether the install stage gets `ws/package.json`: copied by name before `npm ci`, or from a
 * stage that copies its top directory and deletes all but the package.json files.
 */
function installGets(ws, stages) {
  const install = stages.find((s) => s.instructions.some((i) => i.instruction === 'RUN' && /\bnpm ci\b/.test(i.args)));
  if (!install) return false;
  const before = install.instructions.slice(
    0,
    install.instructions.findIndex((i) => i.instruction === 'RUN' && /\bnpm ci\b/.test(i.args)),
  );
  const copies = before.filter((i) => i.instruction === 'COPY');
  if (copies.some((i) => !/--from=/.test(i.args) && copySources(i).some((s) => s === `${ws}/package.json`))) return true;
  const top = ws.split('/')[0];
  return copies.some((i) => {
    const from = /--from=(\S+)/.exec(i.args)?.[1];
    const stage = from && stages.find((s) => s.name === from);
    return (
      Boolean(stage) &&
      stage.instructions.some((c) => c.instruction === 'COPY' && copySources(c).some((s) => s.replace(/\/$/, '') === top)) &&
      stage.instructions.some((r) => r.instruction === 'RUN' && /-name package\.json/.test(r.args))
    );
  });
}

/** `texts` ({dockerfile, dockerignore}) replaces the files' contents (the self-check's bad variants). */
export function checkDockerfile(root, { texts } = {}) {
  const problems = [];
  const instructions = parseDockerfile(texts?.dockerfile ?? readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const stages = [];
  for (const ins of instructions) {
    if (ins.instruction === 'FROM') stages.push({ from: ins.args, name: /\bAS\s+(\S+)$/i.exec(ins.args)?.[1], instructions: [] });
    else if (stages.length) stages.at(-1).instructions.push(ins);
  }
  if (stages.length < 2) problems.push('Dockerfile: expected a multi-stage build (build, runtime)');
  const all = instructions.map((i) => `${i.instruction} ${i.args}`);
  if (!existsSync(path.join(root, ASSEMBLE))) problems.push(`${ASSEMBLE} is missing`);
  const workspaces = workspaceDirs(root);
  for (const ws of workspaces) {
    if (!installGets(ws, stages)) problems.push(`Dockerfile: the dependency layer does not copy ${ws}/package.json (npm ci would fail)`);
  }
  if (!all.some((line) => line.startsWith('RUN ') && line.includes(`node ${ASSEMBLE} `)))
    problems.push(`Dockerfile: the build stage should assemble the runtime tree with node ${ASSEMBLE} (it leaves test code out)`);
  if (!all.some((line) => /^RUN .*\bnpm ci\b/.test(line))) problems.push('Dockerfile: install with `npm ci` (the lockfile)');
  if (all.some((line) => /^RUN .*\bnpm (install|i)\b/.test(line)))
    problems.push('Dockerfile: `npm install` ignores the lockfile; use npm ci');
  if (!all.some((line) => /^RUN .*npm prune --omit=dev/.test(line)))
    problems.push('Dockerfile: prune dev dependencies (npm prune --omit=dev) before the runtime stage');
  const runtime = stages.at(-1)?.instructions ?? [];
  const last = (name) => runtime.filter((i) => i.instruction === name).at(-1);
  const user = last('USER')?.args;
  if (!user) problems.push('Dockerfile: the runtime stage sets no USER (it would run as root)');
  else if (!/^[1-9][0-9]*(:[0-9]+)?$/.test(user))
    problems.push(`Dockerfile: USER ${user} should be a numeric non-root uid (Kubernetes runAsNonRoot can only verify a number)`);
  const health = last('HEALTHCHECK')?.args ?? '';
  if (!health || /^NONE\b/i.test(health)) problems.push('Dockerfile: the runtime stage has no HEALTHCHECK');
  else if (!/\/(readyz|healthz)/.test(health)) problems.push('Dockerfile: the HEALTHCHECK should probe /readyz or /healthz');
  const entrypoint = last('ENTRYPOINT')?.args ?? '';
  if (!entrypoint.includes('libs/launcher/dist/main.js'))
    problems.push('Dockerfile: ENTRYPOINT should run the launcher (libs/launcher/dist/main.js)');
  if (!runtime.some((i) => i.instruction === 'COPY' && /--from=/.test(i.args)))
    problems.push('Dockerfile: the runtime stage should copy the build output from the build stage');
  if (runtime.some((i) => i.instruction === 'COPY' && !/--from=/.test(i.args)))
    problems.push('Dockerfile: the runtime stage copies from the build context (sources or secrets could leak in)');

  // .dockerignore: keep local state out, keep what the build copies in.
  const patterns = (texts?.dockerignore ?? readFileSync(path.join(root, '.dockerignore'), 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const file of [
    'node_modules',
    'libs/store/node_modules',
    'libs/store/dist',
    '.git',
    '.env',
    'deploy/kubernetes/secrets/secrets.env',
  ]) {
    if (!isIgnored(file, patterns)) problems.push(`.dockerignore: ${file} would be sent to the build`);
  }
  const copied = instructions
    .filter((i) => i.instruction === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1),
    );
  for (const source of copied) {
    const probe = source.endsWith('/') || !source.includes('.') ? `${source.replace(/\/$/, '')}/src/index.ts` : source;
    if (isIgnored(source, patterns) || isIgnored(probe, patterns))
      problems.push(`.dockerignore hides ${source}, which the Dockerfile copies`);
  }
  return {
    problems,
    summary: `${stages.length} stages, ${workspaces.length} workspaces, runtime USER ${user}, HEALTHCHECK ${health ? 'set' : 'missing'}`,
  };
}
