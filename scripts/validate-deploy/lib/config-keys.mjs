/**
 * Tollgate's configuration keys, read from the built code itself (the process configuration and
 * each service manifest's config shape, which its service passes to loadConfig), so the
 * deployment files are checked against what the code reads today.
 * Needs the workspace built (`npm run build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** { process: [...keys], 'radius-gateway': [...], ...one per service manifest, all: Set } */
export async function loadConfigKeys(root) {
  const entry = path.join(root, 'libs/launcher/dist/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the workspace first (npm run build)`);
  const { MANIFESTS, processConfigShape } = await import(pathToFileURL(entry).href);
  const keys = { process: Object.keys(processConfigShape) };
  for (const manifest of MANIFESTS) keys[manifest.name] = Object.keys(manifest.config);
  keys.all = new Set(Object.values(keys).flat());
  return keys;
}
