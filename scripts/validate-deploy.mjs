#!/usr/bin/env node
/**
 * Validates Tollgate's deployment files without a Docker engine or a Kubernetes cluster, and
 * exits non-zero on any problem:
 *
 *   Kubernetes  renders deploy/kubernetes (base, overlays, secrets) as kustomize does, compares the
 *               result with `kubectl kustomize` where kubectl is installed, validates every object
 *               against the Kubernetes API schemas (kubernetes-models: JSON schemas, plus a strict
 *               unknown-field check), and checks Tollgate's requirements of each overlay.
 *   Compose     docker-compose.yml against the compose spec, interpolated from .env.example, plus
 *               `docker compose config` / `docker-compose config` where installed.
 *   Dockerfile  multi-stage, non-root, HEALTHCHECK, every workspace in the dependency layer.
 *   Image       no test code in what deploy/docker/assemble-runtime.mjs puts in the image, and no
 *               production source importing @tollgate/testkit or a test helper.
 *   NATS        `nats-server -t` on every configuration in deploy/nats, and a live permission probe
 *               of each on 127.0.0.1 through the launcher's own connection code.
 *   Dashboards  deploy/observability: the Grafana dashboard and Prometheus alert rules, every
 *               metric they query registered in the code, every alert's runbook section present.
 *   Self-check  known-bad variants must be rejected.
 *
 * Needs: the workspace built (`npm run build`), this script's own packages
 * (`npm ci --prefix scripts/validate-deploy`), nats-server and openssl (Debian packages).
 * Usage: node scripts/validate-deploy.mjs
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const here = path.join(root, 'scripts/validate-deploy');

if (!existsSync(path.join(here, 'node_modules'))) {
  console.error('validate-deploy: its packages are missing: npm ci --prefix scripts/validate-deploy');
  process.exit(2);
}
const lib = (name) => import(new URL(`./validate-deploy/lib/${name}`, import.meta.url).href);
const { renderKustomization, resourceId } = await lib('kustomize.mjs');
const { validateWithSchemas, checkUnknownFields } = await lib('kubernetes-schema.mjs');
const { checkTollgateManifests } = await lib('kubernetes-requirements.mjs');
const { checkCompose } = await lib('compose-check.mjs');
const { checkDockerfile } = await lib('dockerfile-check.mjs');
const { checkRuntimeImage, selfCheckRuntimeImage } = await lib('runtime-image-check.mjs');
const { checkNats } = await lib('nats-check.mjs');
const { loadConfigKeys } = await lib('config-keys.mjs');
const { selfCheckFiles, selfCheckManifests, selfCheckNats } = await lib('self-check.mjs');
const { parseYamlDocuments } = await lib('yaml-files.mjs');
const { checkObservability, selfCheckObservability } = await lib('observability-check.mjs');

const results = [];
/** Runs one named check; `fn` returns { problems, lines? }. */
async function check(name, fn) {
  let outcome;
  try {
    outcome = await fn();
  } catch (error) {
    outcome = { problems: [`${error.message}`] };
  }
  const problems = outcome.problems ?? [];
  results.push({ name, ok: problems.length === 0 });
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}${outcome.summary ? ` - ${outcome.summary}` : ''}`);
  for (const line of outcome.lines ?? []) console.log(`       ${line}`);
  for (const problem of problems) console.log(`     x ${problem}`);
  return outcome;
}

const kinds = (objects) => {
  const counts = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
};

const configKeys = await loadConfigKeys(root).catch((error) => {
  console.error(`validate-deploy: ${error.message}`);
  process.exit(2);
});

// --- Kubernetes ------------------------------------------------------------------------------
const k8s = path.join(root, 'deploy/kubernetes');
const overlays = readdirSync(path.join(k8s, 'overlays'))
  .sort()
  .map((o) => `overlays/${o}`);
const renders = {};
const work = mkdtempSync(path.join(tmpdir(), 'tollgate-validate-'));
try {
  // The secrets kustomization reads secrets.env and portal-secrets.env, never committed: render the examples.
  const secretsCopy = path.join(work, 'secrets');
  cpSync(path.join(k8s, 'secrets'), secretsCopy, { recursive: true });
  for (const name of ['secrets.env', 'portal-secrets.env']) cpSync(path.join(secretsCopy, `${name}.example`), path.join(secretsCopy, name));
  const sources = {
    base: path.join(k8s, 'base'),
    ...Object.fromEntries(overlays.map((o) => [o, path.join(k8s, o)])),
    secrets: secretsCopy,
  };

  for (const [name, dir] of Object.entries(sources)) {
    await check(`kubernetes render ${name}`, () => {
      renders[name] = renderKustomization(dir);
      return { problems: [], summary: `${renders[name].length} objects: ${kinds(renders[name])}` };
    });
  }

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (kubectl.status === 0) {
    const version =
      kubectl.stdout
        .split('\n')
        .find((l) => /Kustomize/.test(l))
        ?.trim() ?? kubectl.stdout.split('\n')[0].trim();
    await check('kubernetes render matches kubectl kustomize', () => {
      const problems = [];
      for (const [name, dir] of Object.entries(sources)) {
        if (!renders[name]) continue;
        const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
        if (out.status !== 0) {
          problems.push(`kubectl kustomize ${name}: ${out.stderr.trim()}`);
          continue;
        }
        // kustomize folds long base64 Secret values over lines; the bytes are the same.
        const unfold = (o) =>
          o.kind === 'Secret' && o.data
            ? { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, String(v).replace(/\s+/g, '')])) }
            : o;
        const theirs = new Map(parseYamlDocuments(out.stdout, `kubectl kustomize ${name}`).map((o) => [resourceId(o), unfold(o)]));
        const mine = new Map(renders[name].map((o) => [resourceId(o), o]));
        for (const id of new Set([...theirs.keys(), ...mine.keys()])) {
          if (!isDeepStrictEqual(theirs.get(id), mine.get(id))) problems.push(`${name}: ${id} differs from kubectl kustomize`);
        }
      }
      return { problems, summary: version };
    });
  } else {
    console.log('skip kubernetes render cross-check: kubectl is not installed');
  }

  const rendered = Object.entries(renders);
  await check('kubernetes schemas (JSON schema of every object)', () => {
    const problems = rendered.flatMap(([name, objects]) => validateWithSchemas(objects).map((p) => `${name}: ${p.object}: ${p.message}`));
    return { problems, summary: `${rendered.reduce((n, [, o]) => n + o.length, 0)} objects in ${rendered.length} renders` };
  });
  await check('kubernetes schemas (no field unknown to the API)', () => {
    const problems = rendered.flatMap(([name, objects]) => checkUnknownFields(objects).map((p) => `${name}: ${p.object}: ${p.message}`));
    return { problems };
  });

  const secretKeys = new Set(
    (renders.secrets ?? [])
      .filter((o) => o.kind === 'Secret')
      .flatMap((s) => Object.keys(s.data ?? {}).map((k) => `${s.metadata.name}/${k}`)),
  );
  for (const overlay of overlays) {
    if (!renders[overlay]) continue;
    await check(`kubernetes requirements ${overlay}`, () => {
      const { problems, notes } = checkTollgateManifests(renders[overlay], { secretKeys, configKeys });
      return { problems, lines: notes };
    });
  }
  const reference = renders[overlays.includes('overlays/production') ? 'overlays/production' : overlays[0]];
  if (reference) {
    await check('self-check: manifest checks reject known-bad variants', () => {
      const { failures, count } = selfCheckManifests(reference, { secretKeys, configKeys });
      return { problems: failures, summary: `${count} variants` };
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// --- Compose, Dockerfile, NATS ---------------------------------------------------------------
await check('compose file (docker-compose.yml, .env.example)', () => checkCompose(root, { configKeys }));
await check('Dockerfile and .dockerignore', () => checkDockerfile(root));
await check('self-check: compose and Dockerfile checks reject known-bad variants', () => {
  const { failures, count } = selfCheckFiles(root, { configKeys, checkCompose, checkDockerfile });
  return { problems: failures, summary: `${count} variants` };
});
await check('image contents: no test code (assemble-runtime plan, production imports)', () => checkRuntimeImage(root));
await check('self-check: image-contents check rejects known-bad variants', () => {
  const { failures, count } = selfCheckRuntimeImage(root);
  return { problems: failures, summary: `${count} variants` };
});
await check('NATS configurations (deploy/nats)', () => checkNats(root));
await check('self-check: NATS probe rejects wrong permissions', async () => {
  const { failures, count } = await selfCheckNats(root);
  return { problems: failures, summary: `${count} variants` };
});

// --- Dashboards and alerts --------------------------------------------------------------------
await check('Grafana dashboard and Prometheus rules (deploy/observability)', () => checkObservability(root));
await check('self-check: observability checks reject known-bad variants', () => {
  const { failures, count } = selfCheckObservability(root);
  return { problems: failures, summary: `${count} variants` };
});

const failed = results.filter((r) => !r.ok).length;
console.log(`\nvalidate-deploy: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
