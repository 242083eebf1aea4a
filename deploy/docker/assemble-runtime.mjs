#!/usr/bin/env node
/**
 * Copies what Tollgate needs at run time from a built, pruned workspace into DEST (the Dockerfile's
 * runtime stage takes DEST as /app): the root package files, node_modules (production
 * dependencies; node_modules/@tollgate/* are relative symlinks to the workspaces), and for each
 * workspace the launcher needs at run time (its production dependencies, transitively) its
 * package.json, its compiled dist/ without test code, type declarations or source maps, and its
 * run-time data (the store's SQL migrations, the RADIUS dictionaries and their NOTICE). Test code
 * never goes in: no *.test.js, no e2e/ or testing/ directory, no workspace only tests depend on
 * (@tollgate/testkit). scripts/validate-deploy runs the same
 * plan (`planRuntime`) on the built tree, so a test file that would ship fails CI without Docker.
 *
 * Usage, from the repository root after `npm run build && npm prune --omit=dev`:
 *   node deploy/docker/assemble-runtime.mjs DEST
 * Needs nothing but Node.js.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace the image runs; everything it needs is reachable from it through `dependencies`. */
export const ENTRY_WORKSPACE = '@tollgate/launcher';

/** A compiled file that is test code: a test, or anything in an e2e/ or testing/ directory. */
export function isTestPath(relative) {
  const parts = relative.split(/[\\/]/);
  return parts.some((p) => p === 'e2e' || p === 'testing') || /\.test\.(js|ts|mjs)$/.test(parts.at(-1) ?? '');
}

/** Data a workspace reads at run time besides dist/: the store's SQL migrations, the RADIUS dictionaries. */
const RUNTIME_DATA_DIRS = ['migrations', 'dictionaries'];

/** A compiled file that is not needed to run (types, maps, build info). */
const isBuildOnly = (name) => /\.d\.ts$|\.map$|\.tsbuildinfo$/.test(name);

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The workspace directories (relative), the root package.json's globs (`libs/*`) expanded. */
export function workspaceDirs(root) {
  const dirs = [];
  for (const pattern of readJson(path.join(root, 'package.json')).workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      for (const name of readdirSync(path.join(root, parent)).sort()) {
        if (existsSync(path.join(root, parent, name, 'package.json'))) dirs.push(`${parent}/${name}`);
      }
    } else if (!/[*?[]/.test(pattern)) dirs.push(pattern);
    else throw new Error(`assemble-runtime: workspace pattern ${pattern} is not supported (use dir or dir/*)`);
  }
  return dirs;
}

/** { dir, name, packageJson } of every workspace. */
export function workspaces(root) {
  return workspaceDirs(root).map((dir) => {
    const packageJson = readJson(path.join(root, dir, 'package.json'));
    return { dir, name: packageJson.name, packageJson };
  });
}

/** The workspaces the entry workspace needs at run time: it and its production dependencies, transitively. */
export function runtimeWorkspaces(root) {
  const all = workspaces(root);
  const byName = new Map(all.map((w) => [w.name, w]));
  const needed = new Set();
  const visit = (name) => {
    const ws = byName.get(name);
    if (!ws || needed.has(ws)) return;
    needed.add(ws);
    for (const dep of Object.keys(ws.packageJson.dependencies ?? {})) visit(dep);
  };
  if (!byName.has(ENTRY_WORKSPACE)) throw new Error(`assemble-runtime: no workspace is ${ENTRY_WORKSPACE}`);
  visit(ENTRY_WORKSPACE);
  return all.filter((w) => needed.has(w));
}

function filesUnder(root, dir) {
  const out = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(dir);
  return out;
}

/**
 * What goes into the image, as paths relative to the root: `files` (from the workspaces),
 * `left` (workspaces left out) and the node_modules/@tollgate links to drop with them.
 */
export function planRuntime(root) {
  const runtime = runtimeWorkspaces(root);
  const names = new Set(runtime.map((w) => w.name));
  const left = workspaces(root).filter((w) => !names.has(w.name));
  const files = ['package.json', 'package-lock.json'];
  for (const ws of runtime) {
    if (!existsSync(path.join(root, ws.dir, 'dist'))) throw new Error(`assemble-runtime: ${ws.dir}/dist is missing (build first)`);
    files.push(`${ws.dir}/package.json`);
    for (const file of filesUnder(root, `${ws.dir}/dist`)) {
      const inDist = file.slice(ws.dir.length + '/dist/'.length);
      if (!isTestPath(inDist) && !isBuildOnly(file)) files.push(file);
    }
    for (const data of RUNTIME_DATA_DIRS) {
      if (existsSync(path.join(root, ws.dir, data))) files.push(...filesUnder(root, `${ws.dir}/${data}`));
    }
    if (existsSync(path.join(root, ws.dir, 'NOTICE'))) files.push(`${ws.dir}/NOTICE`);
  }
  return { files, left: left.map((w) => w.dir), droppedLinks: left.map((w) => `node_modules/${w.name}`) };
}

function assemble(root, dest) {
  if (!existsSync(path.join(root, 'package.json')) || !existsSync(path.join(root, 'node_modules'))) {
    throw new Error('assemble-runtime: run from the built repository root');
  }
  const plan = planRuntime(root);
  mkdirSync(dest, { recursive: true });
  const dropped = new Set(plan.droppedLinks.map((l) => path.join(root, l)));
  // verbatimSymlinks keeps the workspace links relative, so they resolve inside DEST.
  cpSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !dropped.has(source),
  });
  for (const file of plan.files) {
    mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(dest, file));
  }
  // Every workspace link left in node_modules must resolve inside DEST, or the image would fail at start.
  const scope = path.join(dest, 'node_modules/@tollgate');
  for (const link of readdirSync(scope)) {
    if (!existsSync(path.join(scope, link, 'package.json')))
      throw new Error(`assemble-runtime: node_modules/@tollgate/${link} does not resolve`);
  }
  const bytes = plan.files.reduce((n, f) => n + statSync(path.join(root, f)).size, 0);
  console.log(
    `assemble-runtime: ${plan.files.length} files (${Math.round(bytes / 1024)} KiB) from the workspaces, node_modules, into ${dest}; left out: ${plan.left.join(', ') || 'nothing'}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node deploy/docker/assemble-runtime.mjs DEST');
    process.exit(2);
  }
  try {
    assemble(process.cwd(), path.resolve(dest));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
