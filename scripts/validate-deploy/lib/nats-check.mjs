/**
 * Checks deploy/nats: every configuration passes `nats-server -t`, and a real nats-server started
 * from each (passwords; NKeys; passwords over TLS with a throw-away CA; the Helm values' users and
 * permissions) passes the live permission probe (nats-probe.mjs). Everything runs on 127.0.0.1
 * with OS-assigned ports, in a temporary copy whose JetStream and certificate paths point into it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { probeNatsPermissions } from './nats-probe.mjs';
import { findNatsServer, natsServerVersion, startServer, testConfig } from './nats-server.mjs';
import { SERVICES, natsNkeyVariable, natsPasswordVariable } from './tollgate-facts.mjs';
import { parseYaml } from './yaml-files.mjs';

/** Helm-values YAML (the chart's config.merge) as nats-server configuration text. */
export function toNatsConf(value, indent = '') {
  if (typeof value === 'string') {
    const raw = /^<<\s*(.*?)\s*>>$/.exec(value);
    return raw ? raw[1] : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => toNatsConf(v, indent)).join(', ')}]`;
  const inner = `${indent}  `;
  return `{\n${Object.entries(value)
    .map(([k, v]) => `${inner}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)}: ${toNatsConf(v, inner)}`)
    .join('\n')}\n${indent}}`;
}

function makeCertificates(dir) {
  const run = (args) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`);
  };
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=validate-deploy test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'tls.key', '-out', 'tls.csr']);
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    'tls.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'tls.crt',
  ]);
}

async function nkeyPairs(root) {
  const nats = await import(pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('nats')).href);
  return Object.fromEntries(
    SERVICES.map((s) => {
      const pair = nats.nkeys.createUser();
      return [s, { publicKey: pair.getPublicKey(), seed: new TextDecoder().decode(pair.getSeed()) }];
    }),
  );
}

export async function checkNats(root) {
  const problems = [];
  const lines = [];
  const binary = findNatsServer();
  if (!binary) return { problems: ['nats-server is not installed (Debian package nats-server)'], lines };
  lines.push(`nats-server: ${natsServerVersion(binary)}`);
  const work = mkdtempSync(path.join(tmpdir(), 'tollgate-nats-'));
  try {
    // A working copy: JetStream under it, TLS files from a throw-away CA in it.
    const conf = path.join(work, 'nats');
    cpSync(path.join(root, 'deploy/nats'), conf, { recursive: true });
    const rewrite = (file, from, to) =>
      writeFileSync(path.join(conf, file), readFileSync(path.join(conf, file), 'utf8').replaceAll(from, to));
    rewrite('server.conf', '"/data/jetstream"', JSON.stringify(path.join(work, 'jetstream')));
    makeCertificates(conf);
    rewrite('tls.conf', '/etc/nats/tls/', `${conf}/`);

    const passwords = Object.fromEntries(SERVICES.map((s) => [s, `pw-${s}-${Math.random().toString(36).slice(2)}`]));
    const passwordEnv = Object.fromEntries(SERVICES.map((s) => [natsPasswordVariable(s), passwords[s]]));
    const keys = await nkeyPairs(root);
    const nkeyEnv = Object.fromEntries(SERVICES.map((s) => [natsNkeyVariable(s), keys[s].publicKey]));
    const seedFiles = {};
    for (const s of SERVICES) {
      seedFiles[s] = path.join(work, `${s}.nk`);
      writeFileSync(seedFiles[s], keys[s].seed);
      chmodSync(seedFiles[s], 0o600);
    }

    // The Helm values' users and permissions as a standalone configuration.
    const values = parseYaml(readFileSync(path.join(root, 'deploy/nats/helm-values.yaml'), 'utf8'), 'deploy/nats/helm-values.yaml');
    const merge = values?.config?.merge;
    if (!merge?.accounts) problems.push('deploy/nats/helm-values.yaml: config.merge.accounts is missing');
    const helmEnv = Object.keys(values?.container?.env ?? {}).sort();
    if (JSON.stringify(helmEnv) !== JSON.stringify(Object.keys(passwordEnv).sort()))
      problems.push(`deploy/nats/helm-values.yaml: container.env must provide exactly ${Object.keys(passwordEnv).join(', ')}`);
    if (values?.config?.cluster?.enabled !== true || values?.config?.cluster?.replicas !== 3)
      problems.push('deploy/nats/helm-values.yaml: a 3-node cluster is expected');
    if (values?.config?.jetstream?.enabled !== true) problems.push('deploy/nats/helm-values.yaml: JetStream should be enabled');
    if (values?.config?.nats?.tls?.enabled !== true) problems.push('deploy/nats/helm-values.yaml: client TLS should be enabled');
    const body = Object.entries(merge ?? {})
      .map(([k, v]) => `${k}: ${toNatsConf(v)}`)
      .join('\n');
    writeFileSync(
      path.join(conf, 'helm-values.generated.conf'),
      `port: 4222\nhttp_port: 8222\njetstream { store_dir: ${JSON.stringify(path.join(work, 'jetstream-helm'))} }\n${body}\n`,
    );

    const variants = [
      {
        name: 'passwords (nats-server.conf)',
        file: 'nats-server.conf',
        serverEnv: passwordEnv,
        client: (s) => ({ NATS_USER: s, NATS_PASSWORD: passwords[s] }),
        scheme: 'nats',
      },
      {
        name: 'NKeys (nats-server-nkeys.conf)',
        file: 'nats-server-nkeys.conf',
        serverEnv: nkeyEnv,
        client: (s) => ({ NATS_NKEY_SEED_FILE: seedFiles[s] }),
        scheme: 'nats',
      },
      {
        name: 'passwords over TLS (nats-server-tls.conf)',
        file: 'nats-server-tls.conf',
        serverEnv: passwordEnv,
        client: (s) => ({ NATS_USER: s, NATS_PASSWORD: passwords[s], NATS_TLS: 'true', NATS_TLS_CA_FILE: path.join(conf, 'ca.crt') }),
        scheme: 'tls',
        tls: true,
      },
      {
        name: 'Helm values (helm-values.yaml config.merge)',
        file: 'helm-values.generated.conf',
        serverEnv: passwordEnv,
        client: (s) => ({ NATS_USER: s, NATS_PASSWORD: passwords[s] }),
        scheme: 'nats',
      },
    ];
    for (const variant of variants) {
      const file = path.join(conf, variant.file);
      const tested = testConfig(binary, file, variant.serverEnv);
      if (!tested.ok) {
        problems.push(`nats-server -t ${variant.file}: ${tested.output}`);
        continue;
      }
      // A missing secret must stop the server, not start it without that user.
      const missing = testConfig(binary, file, Object.fromEntries(Object.entries(variant.serverEnv).slice(1)));
      if (missing.ok) problems.push(`${variant.file}: accepted with ${Object.keys(variant.serverEnv)[0]} unset`);
      let server;
      try {
        server = await startServer(binary, file, variant.serverEnv);
        const host = variant.tls ? 'localhost' : '127.0.0.1';
        const environments = Object.fromEntries(SERVICES.map((s) => [s, variant.client(s)]));
        const result = await probeNatsPermissions(root, {
          url: `${variant.scheme}://${host}:${server.port}`,
          environments,
          tlsRequired: variant.tls,
        });
        for (const p of result.problems) problems.push(`${variant.name}: ${p}`);
        lines.push(`${variant.name}: nats-server -t ok; live: ${result.checks} checks, ${result.problems.length} failed`);
      } catch (error) {
        problems.push(`${variant.name}: ${error.message}`);
      } finally {
        await server?.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { problems, lines };
}
