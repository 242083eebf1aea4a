/**
 * Tollgate's configuration keys, read from the built code itself (the zod shapes each component
 * passes to loadConfig), so the deployment files are checked against what the code reads today.
 * Needs the workspace built (`npm run build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SHAPES = {
  process: ['libs/launcher', 'processConfigShape'],
  'radius-gateway': ['services/radius-gateway', 'gatewayConfigShape'],
  aggregator: ['services/aggregator', 'aggregatorConfigShape'],
  'otp-verifier': ['services/otp-verifier', 'otpVerifierConfigShape'],
  'entra-verifier': ['services/entra-verifier', 'entraVerifierConfigShape'],
  'admin-api': ['services/admin-api', 'adminConfigShape'],
};

/** { process: [...keys], 'radius-gateway': [...], ..., all: Set } */
export async function loadConfigKeys(root) {
  const keys = {};
  for (const [component, [dir, exportName]] of Object.entries(SHAPES)) {
    const entry = path.join(root, dir, 'dist', 'index.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build the workspace first (npm run build)`);
    const module = await import(pathToFileURL(entry).href);
    if (!module[exportName]) throw new Error(`${dir} no longer exports ${exportName}`);
    keys[component] = Object.keys(module[exportName]);
  }
  keys.all = new Set(Object.values(keys).flat());
  return keys;
}
