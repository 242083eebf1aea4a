/**
 * Proof that the checks can fail: known-bad variants of the real files (a misspelt field, a wrong
 * quantity, a missing probe, a widened NetworkPolicy, a service on another's NATS user, a NATS
 * permission too wide or too narrow) must each be reported. A check that passed everything would
 * pass these too, and this fails instead.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkTollgateManifests } from './kubernetes-requirements.mjs';
import { checkUnknownFields, validateWithSchemas } from './kubernetes-schema.mjs';
import { probeNatsPermissions } from './nats-probe.mjs';
import { findNatsServer, startServer } from './nats-server.mjs';
import { SERVICES, natsPasswordVariable } from './tollgate-facts.mjs';

const deployment = (objects, name) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);

/** [{name, mutate(objects), expect: RegExp, check: 'schema'|'fields'|'requirements'}] */
const MANIFEST_CASES = [
  {
    name: 'the portal given the master key',
    check: 'requirements',
    expect: /TOLLGATE_MASTER_KEY must not be given to enrollment-portal/,
    mutate: (o) => {
      deployment(o, 'enrollment-portal').spec.template.spec.containers[0].env.push({
        name: 'TOLLGATE_MASTER_KEY',
        valueFrom: { secretKeyRef: { name: 'tollgate-secrets', key: 'TOLLGATE_MASTER_KEY' } },
      });
    },
  },
  {
    name: 'the portal allowed to reach PostgreSQL',
    check: 'requirements',
    expect: /enrollment-portal Egress: allows 5432\/TCP/,
    mutate: (o) => {
      o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'enrollment-portal').spec.egress.push({
        ports: [{ protocol: 'TCP', port: 5432 }],
      });
    },
  },
  {
    name: "the portal's Ingress also routing to the admin API",
    check: 'requirements',
    expect: /Ingress enrollment-portal: routes to admin-api as well/,
    mutate: (o) => {
      const ingress = o.find((x) => x.kind === 'Ingress' && x.metadata.name === 'enrollment-portal');
      ingress.spec.rules[0].http.paths.push({
        path: '/api',
        pathType: 'Prefix',
        backend: { service: { name: 'admin-api', port: { name: 'http' } } },
      });
    },
  },
  {
    name: "the portal's Ingress without TLS",
    check: 'requirements',
    expect: /Ingress enrollment-portal: needs TLS/,
    mutate: (o) => {
      delete o.find((x) => x.kind === 'Ingress' && x.metadata.name === 'enrollment-portal').spec.tls;
    },
  },
  {
    name: 'misspelt container field',
    check: 'fields',
    expect: /readynessProbe/,
    mutate: (o) => {
      deployment(o, 'aggregator').spec.template.spec.containers[0].readynessProbe = {};
    },
  },
  {
    name: 'bad CPU quantity',
    check: 'schema',
    expect: /quantity/,
    mutate: (o) => {
      deployment(o, 'aggregator').spec.template.spec.containers[0].resources.limits.cpu = 'lots';
    },
  },
  {
    name: 'missing readiness probe',
    check: 'requirements',
    expect: /readinessProbe/,
    mutate: (o) => {
      delete deployment(o, 'otp-verifier').spec.template.spec.containers[0].readinessProbe;
    },
  },
  {
    name: 'gateway Service without externalTrafficPolicy: Local',
    check: 'requirements',
    expect: /externalTrafficPolicy/,
    mutate: (o) => {
      o.find((x) => x.kind === 'Service' && x.spec.type === 'LoadBalancer').spec.externalTrafficPolicy = 'Cluster';
    },
  },
  {
    name: 'aggregator allowed HTTPS out',
    check: 'requirements',
    expect: /aggregator Egress: allows 443\/TCP/,
    mutate: (o) => {
      o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'aggregator').spec.egress.push({
        ports: [{ protocol: 'TCP', port: 443 }],
      });
    },
  },
  {
    name: "otp-verifier on the gateway's NATS user",
    check: 'requirements',
    expect: /NATS_USER must be "otp-verifier"/,
    mutate: (o) => {
      deployment(o, 'otp-verifier').spec.template.spec.containers[0].env.find((e) => e.name === 'NATS_USER').value = 'radius-gateway';
    },
  },
  {
    name: 'misspelt configuration key',
    check: 'requirements',
    expect: /VERIFIER_TIMEOUT_MSS is not a Tollgate configuration key/,
    mutate: (o) => {
      deployment(o, 'aggregator').spec.template.spec.containers[0].env.push({ name: 'VERIFIER_TIMEOUT_MSS', value: '1' });
    },
  },
  {
    name: 'services migrating on start',
    check: 'requirements',
    expect: /MIGRATE_ON_START/,
    mutate: (o) => {
      o.find((x) => x.kind === 'ConfigMap').data.MIGRATE_ON_START = 'true';
    },
  },
];

export function selfCheckManifests(objects, context) {
  const failures = [];
  for (const testCase of MANIFEST_CASES) {
    const mutated = structuredClone(objects);
    testCase.mutate(mutated);
    const found =
      testCase.check === 'schema'
        ? validateWithSchemas(mutated).map((p) => `${p.object}: ${p.message}`)
        : testCase.check === 'fields'
          ? checkUnknownFields(mutated.filter((o) => o.kind === 'Deployment')).map((p) => `${p.object}: ${p.message}`)
          : checkTollgateManifests(mutated, context).problems;
    if (!found.some((p) => testCase.expect.test(p))) failures.push(`manifest check missed: ${testCase.name}`);
  }
  return { failures, count: MANIFEST_CASES.length };
}

const COMPOSE_CASES = [
  {
    name: "a service on another's NATS user",
    expect: /NATS_USER must be radius-gateway/,
    edit: (c) => c.replace('NATS_USER: radius-gateway', 'NATS_USER: aggregator'),
  },
  {
    name: 'a misspelt configuration key',
    expect: /VERIFIER_TIMEOUT_MSS is not a Tollgate configuration key/,
    edit: (c) => c.replace('VERIFIER_TIMEOUT_MS: ${VERIFIER_TIMEOUT_MS:-}', 'VERIFIER_TIMEOUT_MSS: ${VERIFIER_TIMEOUT_MS:-}'),
  },
  {
    name: 'a secret with a default',
    expect: /variables compose requires/,
    edit: (c) => c.replace('${TOLLGATE_MASTER_KEY:?', '${TOLLGATE_MASTER_KEY:-x}${UNUSED:?'),
  },
  {
    name: 'services migrating on start',
    expect: /MIGRATE_ON_START must be "false"/,
    edit: (c) => c.replace('MIGRATE_ON_START: "false"', 'MIGRATE_ON_START: "true"'),
  },
  { name: 'the gateway without its UDP port', expect: /publish 1812\/udp/, edit: (c) => c.replace(':1812/udp"', ':1812/tcp"') },
];

const DOCKERFILE_CASES = [
  {
    name: 'the manifests stage not copied before npm ci',
    expect: /does not copy libs\/totp\/package.json/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace('COPY --from=manifests /src ./\n', '') }),
  },
  {
    name: 'the manifests stage without services/',
    expect: /does not copy services\/aggregator\/package.json/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace('COPY services services\nRUN find', 'RUN find') }),
  },
  {
    name: 'the manifests stage keeping everything',
    expect: /does not copy libs\/totp\/package.json/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace(/RUN find libs services [^\n]*\n/, '') }),
  },
  {
    name: 'the runtime tree assembled by hand (test code could ship)',
    expect: /assemble the runtime tree with node deploy\/docker\/assemble-runtime\.mjs/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace(' && node deploy/docker/assemble-runtime.mjs /out', ' && cp -a . /out') }),
  },
  {
    name: 'running as root',
    expect: /USER root should be a numeric/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace('USER 1000:1000', 'USER root') }),
  },
  {
    name: 'no HEALTHCHECK',
    expect: /no HEALTHCHECK/,
    edit: (d) => ({ dockerfile: d.dockerfile.replace(/HEALTHCHECK [^\n]*\\\n[^\n]*\n/, '') }),
  },
  {
    name: 'node_modules sent to the build',
    expect: /node_modules would be sent/,
    edit: (d) => ({ dockerignore: d.dockerignore.replace('**/node_modules\n', '') }),
  },
];

/** Known-bad variants of docker-compose.yml and the Dockerfile must be reported. */
export function selfCheckFiles(root, { configKeys, checkCompose, checkDockerfile }) {
  const failures = [];
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  const envExample = readFileSync(path.join(root, '.env.example'), 'utf8');
  for (const testCase of COMPOSE_CASES) {
    const edited = testCase.edit(compose);
    if (edited === compose) failures.push(`compose self-check "${testCase.name}": the edit no longer applies to docker-compose.yml`);
    else if (!checkCompose(root, { configKeys, texts: { compose: edited, envExample } }).problems.some((p) => testCase.expect.test(p)))
      failures.push(`compose check missed: ${testCase.name}`);
  }
  const docker = {
    dockerfile: readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
    dockerignore: readFileSync(path.join(root, '.dockerignore'), 'utf8'),
  };
  for (const testCase of DOCKERFILE_CASES) {
    const edited = { ...docker, ...testCase.edit(docker) };
    if (edited.dockerfile === docker.dockerfile && edited.dockerignore === docker.dockerignore)
      failures.push(`Dockerfile self-check "${testCase.name}": the edit no longer applies`);
    else if (!checkDockerfile(root, { texts: edited }).problems.some((p) => testCase.expect.test(p)))
      failures.push(`Dockerfile check missed: ${testCase.name}`);
  }
  return { failures, count: COMPOSE_CASES.length + DOCKERFILE_CASES.length };
}

/** The live NATS probe against permissions widened for the gateway and narrowed for the otp-verifier. */
export async function selfCheckNats(root) {
  const binary = findNatsServer();
  if (!binary) return { failures: ['nats-server is not installed'], count: 0 };
  const work = mkdtempSync(path.join(tmpdir(), 'tollgate-nats-self-'));
  let server;
  try {
    const conf = path.join(work, 'nats');
    cpSync(path.join(root, 'deploy/nats'), conf, { recursive: true });
    const edit = (file, from, to) => {
      const text = readFileSync(path.join(conf, file), 'utf8');
      if (!text.includes(from)) throw new Error(`self-check: ${file} no longer contains ${from}`);
      writeFileSync(path.join(conf, file), text.replace(from, to));
    };
    edit('server.conf', '"/data/jetstream"', JSON.stringify(path.join(work, 'jetstream')));
    edit(
      'permissions.conf',
      'publish: { allow: ["tollgate.auth.v1.decide"] }',
      'publish: { allow: ["tollgate.auth.v1.decide", "tollgate.auth.v1.verify.otp"] }',
    );
    edit(
      'permissions.conf',
      '"tollgate.auth.v1.verify.otp", "tollgate.events.v1.config.changed",\n      "$SRV.*", "$SRV.*.otp-verifier"',
      '"tollgate.auth.v1.verify.otp", "tollgate.events.v1.config.changed",\n      "$SRV.*.otp-verifier"',
    );
    const env = Object.fromEntries(SERVICES.map((s) => [natsPasswordVariable(s), `pw-${s}`]));
    server = await startServer(binary, path.join(conf, 'nats-server.conf'), env);
    const environments = Object.fromEntries(SERVICES.map((s) => [s, { NATS_USER: s, NATS_PASSWORD: `pw-${s}` }]));
    const { problems } = await probeNatsPermissions(root, { url: `nats://127.0.0.1:${server.port}`, environments });
    const failures = [];
    if (!problems.some((p) => p.includes('radius-gateway may publish tollgate.auth.v1.verify.otp')))
      failures.push('NATS probe missed: the gateway allowed to ask the otp-verifier directly');
    if (!problems.some((p) => p.includes('otp-verifier: the server refused what its code does') && p.includes('$SRV')))
      failures.push('NATS probe missed: the otp-verifier denied its services-framework subscription');
    return { failures, count: 2 };
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
