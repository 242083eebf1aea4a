/**
 * Reading the service registry loads the manifests and their configuration shapes, never a
 * service's implementation or the libraries only one service uses: every process reads the
 * registry, and whatever it loads stays in that process's memory for good.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const REGISTRY = new URL('./service-registry.js', import.meta.url).href;

/** Every module URL a fresh node process resolves while importing `url`. */
async function resolvedWhileImporting(url: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'registry-imports-'));
  try {
    const log = path.join(dir, 'resolved.txt');
    const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}`;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
await import(${JSON.stringify(url)});`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the registry loads each service as its manifest and configuration shape only', async () => {
  const urls = await resolvedWhileImporting(REGISTRY);
  const serviceFiles = urls.map((u) => /\/services\/([^/]+)\/dist\/(.+)$/.exec(u)).filter((m) => m !== null);
  assert.ok(
    serviceFiles.some((m) => m[2] === 'manifest.js'),
    'the manifests themselves are loaded',
  );
  const beyond = serviceFiles
    .filter((m) => !/^(manifest|config|admin-config|gateway-config)\.js$/.test(m[2] ?? ''))
    .map((m) => `${m[1]}/${m[2]}`);
  assert.deepEqual(beyond, [], 'service code loaded by the registry');
  const packages = new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p) => p !== undefined));
  for (const heavy of ['express', 'helmet', 'ldapts', 'nodemailer', 'undici', 'qrcode', 'otplib', '@electric-sql/pglite'])
    assert.ok(!packages.has(heavy), `${heavy} is loaded by the registry`);
});
