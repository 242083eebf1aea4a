/**
 * Tollgate's own requirements of a rendered overlay (issue 5 and the code's facts): every service
 * a Deployment with probes on /readyz and /healthz, requests and limits, the restricted security
 * profile, real backends (never the embedded fallbacks), its own NATS user, MIGRATE_ON_START=false,
 * a PodDisruptionBudget and a HorizontalPodAutoscaler; the gateway's UDP LoadBalancer keeping
 * source addresses; the migration Job; NetworkPolicies granting exactly the expected ports; and
 * every referenced Secret key and ConfigMap present.
 */
import { allowedPorts, hasDefaultDeny, matchesSelector } from './network-policy.mjs';
import {
  EXPECTED_EGRESS,
  LISTENERS,
  EXPECTED_INGRESS,
  METRICS_PORT,
  RADIUS_PORT,
  SERVICES,
  isPortalKeyService,
  SUBJECT_PREFIX,
  isStandardVariable,
  natsPasswordVariable,
} from './tollgate-facts.mjs';

const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/** The effective environment of a container: name -> {value} | {secret: {name, key}} | {configMap: {name, key}}. */
export function containerEnvironment(objects, container, problems, where) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const configMap = find(objects, 'ConfigMap', source.configMapRef.name);
      if (!configMap) problems.push(`${where}: envFrom ConfigMap ${source.configMapRef.name} is not in the manifests`);
      for (const [key, value] of Object.entries(configMap?.data ?? {}))
        env.set(`${source.prefix ?? ''}${key}`, { value: String(value), from: `ConfigMap ${source.configMapRef.name}` });
    } else {
      problems.push(`${where}: envFrom other than configMapRef is not expected (secrets are referenced key by key)`);
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env.set(variable.name, { value: String(variable.value) });
    else if (variable.valueFrom?.secretKeyRef) env.set(variable.name, { secret: variable.valueFrom.secretKeyRef });
    else if (variable.valueFrom?.configMapKeyRef) env.set(variable.name, { configMap: variable.valueFrom.configMapKeyRef });
    else env.set(variable.name, { other: true });
  }
  return env;
}

function portNumber(container, port) {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function checkContainerSecurity(pod, container, where, problems) {
  const runAsNonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const runAsUser = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const seccomp = container.securityContext?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
  if (runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot must be true`);
  if (runAsUser === 0) problems.push(`${where}: runAsUser must not be 0`);
  if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) problems.push(`${where}: seccompProfile must be RuntimeDefault`);
  const sc = container.securityContext ?? {};
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (sc.privileged) problems.push(`${where}: must not be privileged`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: must not use host namespaces`);
  if (pod.automountServiceAccountToken !== false)
    problems.push(`${where}: automountServiceAccountToken must be false (Tollgate never calls the Kubernetes API)`);
}

function checkImage(image, where, problems) {
  if (!image || image === 'tollgate') problems.push(`${where}: image "${image}" is not set by the overlay's images:`);
  else if (!/[:@]/.test(image.split('/').pop()) || /:latest$/.test(image))
    problems.push(`${where}: image ${image} must be pinned to a version tag or digest`);
}

function checkResources(container, where, problems) {
  for (const kind of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: resources.${kind}.${resource} is missing`);
    }
  }
}

function checkEnvironment(env, { service, secretKeys, configKeys, where, problems }) {
  for (const [name, source] of env) {
    if (!configKeys.all.has(name) && !isStandardVariable(name))
      problems.push(`${where}: ${name} is not a Tollgate configuration key (typo?)`);
    if (source.secret) {
      if (!secretKeys.has(`${source.secret.name}/${source.secret.key}`))
        problems.push(
          `${where}: ${name} refers to Secret ${source.secret.name} key ${source.secret.key}, which deploy/kubernetes/secrets does not define`,
        );
    } else if (source.configMap) {
      problems.push(`${where}: ${name}: use envFrom for the ConfigMap`);
    } else if (source.other) {
      problems.push(`${where}: ${name}: unexpected valueFrom`);
    }
  }
  if (service && isPortalKeyService(service)) return checkPortalKeyEnvironment(env, { service, where, problems });
  // Never the embedded stand-ins: every replica must share the same bus, database, state and key.
  for (const name of ['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY']) {
    const source = env.get(name);
    if (!source || (source.value !== undefined && source.value === ''))
      problems.push(`${where}: ${name} must be set (unset means an embedded, per-process backend)`);
  }
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY']) {
    if (env.get(name) && !env.get(name).secret) problems.push(`${where}: ${name} must come from the Secret (it holds credentials)`);
  }
  if (service) {
    if (env.get('MIGRATE_ON_START')?.value !== 'false')
      problems.push(`${where}: MIGRATE_ON_START must be "false" (the migration Job applies the schema)`);
    checkNatsIdentity(env, { service, where, problems });
    if (service === 'admin-api' && !env.get('ADMIN_API_TOKEN') && !env.get('ADMIN_API_TOKEN_SHA256'))
      problems.push(`${where}: ADMIN_API_TOKEN must be set`);
    if (service !== 'admin-api' && (env.get('ADMIN_API_TOKEN') || env.get('ADMIN_API_TOKEN_SHA256')))
      problems.push(`${where}: only admin-api may see the admin token`);
  }
}

/** What every service's pod must say of its NATS identity: its own user and password, the subject prefix and metrics port the deployment expects. */
function checkNatsIdentity(env, { service, where, problems }) {
  if (env.get('NATS_USER')?.value !== service) problems.push(`${where}: NATS_USER must be "${service}" (its own NATS user)`);
  const password = env.get('NATS_PASSWORD');
  if (!password?.secret || password.secret.key !== natsPasswordVariable(service))
    problems.push(`${where}: NATS_PASSWORD must come from Secret key ${natsPasswordVariable(service)}`);
  const prefix = env.get('NATS_SUBJECT_PREFIX')?.value ?? SUBJECT_PREFIX;
  if (prefix !== SUBJECT_PREFIX)
    problems.push(`${where}: NATS_SUBJECT_PREFIX is "${prefix}" but the NATS permissions name "${SUBJECT_PREFIX}"`);
  const metricsPort = Number(env.get('METRICS_PORT')?.value ?? METRICS_PORT);
  if (metricsPort !== METRICS_PORT) problems.push(`${where}: METRICS_PORT ${metricsPort} differs from the probes' ${METRICS_PORT}`);
}

/**
 * A portal-key service (the enrolment portal, facing the internet): NATS and its own key from its
 * own Secret, and never the master key, the database or Redis, nor the Secret that holds them.
 */
function checkPortalKeyEnvironment(env, { service, where, problems }) {
  if (!env.get('NATS_URL')?.value && !env.get('NATS_URL')?.secret) problems.push(`${where}: NATS_URL must be set`);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY', 'ADMIN_API_TOKEN', 'ADMIN_API_TOKEN_SHA256'])
    if (env.get(name)) problems.push(`${where}: ${name} must not be given to ${service} (it holds the portal key alone)`);
  const key = env.get('PORTAL_BUS_KEY');
  if (!key?.secret) problems.push(`${where}: PORTAL_BUS_KEY must come from a Secret (\`tollgate keys portal\` prints it)`);
  for (const [name, source] of env)
    if (source.secret?.name === 'tollgate-secrets')
      problems.push(`${where}: ${name} comes from tollgate-secrets, which holds the master key: give ${service} a Secret of its own`);
  checkNatsIdentity(env, { service, where, problems });
}

/** The portal is reached through an Ingress with TLS, and only the portal: the admin API has no Ingress of its own here. */
function checkPortalExposure(objects, problems) {
  const portalPods = find(objects, 'Deployment', 'enrollment-portal')?.spec.template.metadata.labels;
  if (!portalPods) return;
  const services = objects.filter((o) => o.kind === 'Service' && matchesSelector(portalPods, { matchLabels: o.spec.selector }));
  if (!services.length) return problems.push('no Service for the enrollment-portal');
  for (const s of services)
    if (s.spec.type === 'LoadBalancer' || s.spec.type === 'NodePort')
      problems.push(`Service ${s.metadata.name}: expose the portal through its Ingress (TLS), not as ${s.spec.type}`);
  const names = new Set(services.map((s) => s.metadata.name));
  const backendsOf = (ingress) =>
    (ingress.spec.rules ?? [])
      .flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service?.name))
      .concat(ingress.spec.defaultBackend?.service?.name ?? []);
  const ingresses = objects.filter((o) => o.kind === 'Ingress' && backendsOf(o).some((b) => names.has(b)));
  if (!ingresses.length) problems.push('no Ingress for the enrollment-portal');
  for (const ingress of ingresses) {
    const where = `Ingress ${ingress.metadata.name}`;
    if (!(ingress.spec.tls ?? []).some((t) => t.secretName)) problems.push(`${where}: needs TLS (a certificate Secret)`);
    const others = backendsOf(ingress).filter((b) => !names.has(b));
    if (others.length) problems.push(`${where}: routes to ${others.join(', ')} as well: the portal's Ingress must reach the portal alone`);
  }
}

function checkDeployment(objects, service, context) {
  const { problems } = context;
  const deployment = find(objects, 'Deployment', service);
  if (!deployment) return problems.push(`Deployment ${service} is missing`);
  const where = `Deployment ${service}`;
  const pod = deployment.spec.template.spec;
  if (deployment.spec.replicas !== undefined) problems.push(`${where}: omit replicas (the HorizontalPodAutoscaler owns the count)`);
  if (!matchesSelector(deployment.spec.template.metadata?.labels, deployment.spec.selector))
    problems.push(`${where}: selector does not match its pod labels`);
  if (pod.containers.length !== 1) problems.push(`${where}: expected one container`);
  const container = pod.containers[0];
  checkImage(container.image, where, problems);
  if (JSON.stringify(container.args ?? container.command) !== JSON.stringify(['run', service]))
    problems.push(`${where}: must run \`tollgate run ${service}\` (args ["run", "${service}"])`);
  const ready = container.readinessProbe?.httpGet;
  const live = container.livenessProbe?.httpGet;
  if (ready?.path !== '/readyz' || portNumber(container, ready?.port) !== METRICS_PORT)
    problems.push(`${where}: readinessProbe must GET /readyz on ${METRICS_PORT}`);
  if (live?.path !== '/healthz' || portNumber(container, live?.port) !== METRICS_PORT)
    problems.push(`${where}: livenessProbe must GET /healthz on ${METRICS_PORT}`);
  checkResources(container, where, problems);
  checkContainerSecurity(pod, container, where, problems);
  const env = containerEnvironment(objects, container, problems, where);
  checkEnvironment(env, { ...context, service, where });
  const expectedPorts = (LISTENERS[service] ?? []).map((l) => [l.port, l.protocol]);
  for (const [port, protocol] of [...expectedPorts, [METRICS_PORT, 'TCP']]) {
    if (!container.ports?.some((p) => p.containerPort === port && (p.protocol ?? 'TCP') === protocol))
      problems.push(`${where}: container port ${port}/${protocol} is not declared`);
  }
  const terminationGrace = pod.terminationGracePeriodSeconds ?? 30;
  const shutdownMs = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value ?? 15000);
  if (terminationGrace * 1000 <= shutdownMs)
    problems.push(`${where}: terminationGracePeriodSeconds ${terminationGrace} must exceed SHUTDOWN_TIMEOUT_MS ${shutdownMs}`);

  const labels = deployment.spec.template.metadata.labels;
  const pdb = find(objects, 'PodDisruptionBudget', service);
  if (!pdb) problems.push(`PodDisruptionBudget ${service} is missing`);
  else {
    if (!matchesSelector(labels, pdb.spec.selector)) problems.push(`PodDisruptionBudget ${service} does not select the Deployment's pods`);
    if (pdb.spec.minAvailable === undefined && pdb.spec.maxUnavailable === undefined)
      problems.push(`PodDisruptionBudget ${service}: set minAvailable or maxUnavailable`);
  }
  const hpa = find(objects, 'HorizontalPodAutoscaler', service);
  if (!hpa) problems.push(`HorizontalPodAutoscaler ${service} is missing`);
  else {
    const ref = hpa.spec.scaleTargetRef;
    if (ref.kind !== 'Deployment' || ref.name !== service || ref.apiVersion !== 'apps/v1')
      problems.push(`HorizontalPodAutoscaler ${service} does not target Deployment ${service}`);
    if (!(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas))
      problems.push(`HorizontalPodAutoscaler ${service}: need 1 <= minReplicas <= maxReplicas`);
    if (!hpa.spec.metrics?.length) problems.push(`HorizontalPodAutoscaler ${service}: no metrics`);
    if (
      hpa.spec.metrics?.some((m) => m.type === 'Resource' && m.resource.target.type === 'Utilization') &&
      !container.resources?.requests?.[hpa.spec.metrics.find((m) => m.type === 'Resource').resource.name]
    ) {
      problems.push(`HorizontalPodAutoscaler ${service}: utilisation needs a resource request`);
    }
  }
  return { deployment, env, hpa, labels };
}

function checkServices(objects, problems) {
  const gatewayPods = find(objects, 'Deployment', 'radius-gateway')?.spec.template.metadata.labels;
  const gatewayContainer = find(objects, 'Deployment', 'radius-gateway')?.spec.template.spec.containers[0];
  const lb = objects.find((o) => o.kind === 'Service' && o.spec.type === 'LoadBalancer' && o.spec.ports?.some((p) => p.protocol === 'UDP'));
  if (!lb) problems.push('no UDP Service of type LoadBalancer for the radius-gateway');
  else {
    const where = `Service ${lb.metadata.name}`;
    if (lb.spec.externalTrafficPolicy !== 'Local')
      problems.push(`${where}: externalTrafficPolicy must be Local (the NAS source address identifies the RADIUS client)`);
    if (!gatewayPods || !matchesSelector(gatewayPods, { matchLabels: lb.spec.selector }))
      problems.push(`${where}: does not select the radius-gateway pods`);
    for (const port of lb.spec.ports) {
      if (port.protocol !== 'UDP') problems.push(`${where}: port ${port.port} is not UDP`);
      if (gatewayContainer && portNumber(gatewayContainer, port.targetPort ?? port.port) !== RADIUS_PORT)
        problems.push(`${where}: port ${port.port} does not reach the gateway's UDP ${RADIUS_PORT}`);
    }
    for (const other of SERVICES.filter((s) => s !== 'radius-gateway')) {
      const labels = find(objects, 'Deployment', other)?.spec.template.metadata.labels;
      if (labels && matchesSelector(labels, { matchLabels: lb.spec.selector })) problems.push(`${where}: also selects ${other} pods`);
    }
  }
  const adminPods = find(objects, 'Deployment', 'admin-api')?.spec.template.metadata.labels;
  const admin = objects.find((o) => o.kind === 'Service' && adminPods && matchesSelector(adminPods, { matchLabels: o.spec.selector }));
  if (!admin) problems.push('no Service for the admin-api');
  else if (admin.spec.type === 'LoadBalancer' || admin.spec.type === 'NodePort')
    problems.push(`Service ${admin.metadata.name}: the admin API must not be exposed directly (${admin.spec.type})`);
}

function checkMigrationJob(objects, context, images) {
  const { problems } = context;
  const jobs = objects.filter((o) => o.kind === 'Job');
  const job = jobs.find((j) => JSON.stringify(j.spec.template.spec.containers[0].args) === '["migrate"]');
  if (!job) return problems.push('no migration Job running `tollgate migrate`');
  const where = `Job ${job.metadata.name}`;
  const pod = job.spec.template.spec;
  const container = pod.containers[0];
  if (!['Never', 'OnFailure'].includes(pod.restartPolicy)) problems.push(`${where}: restartPolicy must be Never or OnFailure`);
  if (!images.has(container.image))
    problems.push(`${where}: image ${container.image} differs from the Deployments' (${[...images].join(', ')})`);
  checkImage(container.image, where, problems);
  checkResources(container, where, problems);
  checkContainerSecurity(pod, container, where, problems);
  const env = containerEnvironment(objects, container, problems, where);
  checkEnvironment(env, { ...context, service: undefined, where });
  return job;
}

function checkNetworkPolicies(objects, workloads, problems) {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  if (!hasDefaultDeny(policies)) problems.push('no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)');
  for (const [name, { namespace, labels }] of Object.entries(workloads)) {
    for (const [direction, expected] of [
      ['Ingress', EXPECTED_INGRESS[name]],
      ['Egress', EXPECTED_EGRESS[name]],
    ]) {
      const { ports, problems: found, rules } = allowedPorts(policies, namespace, labels, direction);
      for (const p of found) problems.push(`${name} ${direction}: ${p}`);
      const want = new Set(expected);
      const extra = [...ports].filter((p) => !want.has(p));
      const missing = [...want].filter((p) => !ports.has(p));
      if (extra.length) problems.push(`${name} ${direction}: allows ${extra.join(', ')}, which its code does not need`);
      if (missing.length) problems.push(`${name} ${direction}: does not allow ${missing.join(', ')}, which its code needs`);
      if (direction === 'Egress') {
        // The bus must be reached only at the NATS pods, never "anywhere on 4222".
        for (const { policy, rule } of rules) {
          if (rule.ports?.some((p) => p.port === 4222) && !(rule.to ?? []).length)
            problems.push(`${name}: NetworkPolicy ${policy} allows NATS (4222) to any destination`);
        }
      }
    }
  }
}

/**
 * Checks one rendered overlay. `secretKeys`: Set of "secretName/key" the secrets kustomization
 * defines; `configKeys` from config-keys.mjs. Returns { problems, notes }.
 */
export function checkTollgateManifests(objects, { secretKeys, configKeys }) {
  const problems = [];
  const notes = [];
  const context = { secretKeys, configKeys, problems };
  const namespace = objects.find((o) => o.kind === 'Namespace');
  if (!namespace) problems.push('no Namespace object');
  else if (namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted')
    problems.push(`Namespace ${namespace.metadata.name}: enforce the restricted Pod Security Standard`);
  for (const object of objects) {
    if (object.kind !== 'Namespace' && object.metadata.namespace !== namespace?.metadata.name)
      problems.push(`${object.kind} ${object.metadata.name} is not in namespace ${namespace?.metadata.name}`);
  }
  const workloads = {};
  const images = new Set();
  let poolTotal = 0;
  for (const service of SERVICES) {
    const result = checkDeployment(objects, service, context);
    if (!result?.deployment) continue;
    images.add(result.deployment.spec.template.spec.containers[0].image);
    workloads[service] = { namespace: result.deployment.metadata.namespace, labels: result.labels };
    if (!isPortalKeyService(service))
      poolTotal += (result.hpa?.spec.maxReplicas ?? 1) * Number(result.env.get('DATABASE_POOL_MAX')?.value ?? 10);
  }
  if (images.size > 1) problems.push(`the Deployments run different images: ${[...images].join(', ')}`);
  checkServices(objects, problems);
  checkPortalExposure(objects, problems);
  const job = checkMigrationJob(objects, context, images);
  if (job?.metadata) workloads.migrate = { namespace: job.metadata.namespace, labels: job.spec.template.metadata?.labels ?? {} };
  checkNetworkPolicies(objects, workloads, problems);
  notes.push(
    `PostgreSQL connections at full scale-out: ${poolTotal + 1} (every HPA at maxReplicas x DATABASE_POOL_MAX, plus the migration); keep max_connections (or the pooler) above it`,
  );
  return { problems, notes };
}
