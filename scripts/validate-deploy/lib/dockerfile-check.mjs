/**
 * Static check of the Dockerfile and .dockerignore (no Docker engine needed): a multi-stage build
 * whose dependency layer copies every workspace's package.json (a new workspace left out would
 * break `npm ci` in the image), a runtime stage that runs the launcher as a non-root numeric user
 * with a HEALTHCHECK, and a .dockerignore that keeps local installs and secrets out of the build
 * context without hiding anything the build copies.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

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

/** `texts` ({dockerfile, dockerignore}) replaces the files' contents (the self-check's bad variants). */
export function checkDockerfile(root, { texts } = {}) {
  const problems = [];
  const instructions = parseDockerfile(texts?.dockerfile ?? readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const stages = [];
  for (const ins of instructions) {
    if (ins.instruction === 'FROM') stages.push({ from: ins.args, instructions: [] });
    else if (stages.length) stages.at(-1).instructions.push(ins);
  }
  if (stages.length < 2) problems.push('Dockerfile: expected a multi-stage build (build, runtime)');
  const all = instructions.map((i) => `${i.instruction} ${i.args}`);
  const workspaces = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces ?? [];
  for (const ws of workspaces) {
    if (!all.some((line) => line.startsWith('COPY ') && line.includes(`${ws}/package.json`))) problems.push(`Dockerfile: the dependency layer does not copy ${ws}/package.json (npm ci would fail)`);
  }
  if (!all.some((line) => /^RUN .*\bnpm ci\b/.test(line))) problems.push('Dockerfile: install with `npm ci` (the lockfile)');
  if (all.some((line) => /^RUN .*\bnpm (install|i)\b/.test(line))) problems.push('Dockerfile: `npm install` ignores the lockfile; use npm ci');
  if (!all.some((line) => /^RUN .*npm prune --omit=dev/.test(line))) problems.push('Dockerfile: prune dev dependencies (npm prune --omit=dev) before the runtime stage');
  const runtime = stages.at(-1)?.instructions ?? [];
  const last = (name) => runtime.filter((i) => i.instruction === name).at(-1);
  const user = last('USER')?.args;
  if (!user) problems.push('Dockerfile: the runtime stage sets no USER (it would run as root)');
  else if (!/^[1-9][0-9]*(:[0-9]+)?$/.test(user)) problems.push(`Dockerfile: USER ${user} should be a numeric non-root uid (Kubernetes runAsNonRoot can only verify a number)`);
  const health = last('HEALTHCHECK')?.args ?? '';
  if (!health || /^NONE\b/i.test(health)) problems.push('Dockerfile: the runtime stage has no HEALTHCHECK');
  else if (!/\/(readyz|healthz)/.test(health)) problems.push('Dockerfile: the HEALTHCHECK should probe /readyz or /healthz');
  const entrypoint = last('ENTRYPOINT')?.args ?? '';
  if (!entrypoint.includes('libs/launcher/dist/main.js')) problems.push('Dockerfile: ENTRYPOINT should run the launcher (libs/launcher/dist/main.js)');
  if (!runtime.some((i) => i.instruction === 'COPY' && /--from=/.test(i.args))) problems.push('Dockerfile: the runtime stage should copy the build output from the build stage');
  if (runtime.some((i) => i.instruction === 'COPY' && !/--from=/.test(i.args))) problems.push('Dockerfile: the runtime stage copies from the build context (sources or secrets could leak in)');

  // .dockerignore: keep local state out, keep what the build copies in.
  const patterns = (texts?.dockerignore ?? readFileSync(path.join(root, '.dockerignore'), 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const file of ['node_modules', 'libs/store/node_modules', 'libs/store/dist', '.git', '.env', 'deploy/kubernetes/secrets/secrets.env']) {
    if (!isIgnored(file, patterns)) problems.push(`.dockerignore: ${file} would be sent to the build`);
  }
  const copied = instructions.filter((i) => i.instruction === 'COPY' && !/--from=/.test(i.args)).flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
  for (const source of copied) {
    const probe = source.endsWith('/') || !source.includes('.') ? `${source.replace(/\/$/, '')}/src/index.ts` : source;
    if (isIgnored(source, patterns) || isIgnored(probe, patterns)) problems.push(`.dockerignore hides ${source}, which the Dockerfile copies`);
  }
  const assemble = path.join(root, 'deploy/docker/assemble-runtime.sh');
  if (!(statSync(assemble).mode & 0o111)) problems.push('deploy/docker/assemble-runtime.sh must be executable');
  return { problems, summary: `${stages.length} stages, ${workspaces.length} workspaces, runtime USER ${user}, HEALTHCHECK ${health ? 'set' : 'missing'}` };
}
