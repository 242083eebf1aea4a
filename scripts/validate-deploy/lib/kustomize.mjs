/**
 * Renders a kustomization directory the way `kustomize build` (and `kubectl kustomize`) does, for
 * the subset of kustomize that deploy/kubernetes uses: resources (files and directories),
 * namespace, images, JSON6902 `patches` with a target, and `secretGenerator` from env files or
 * literals with the name hash disabled. Anything else is refused rather than rendered differently
 * from kustomize; validate-deploy also compares the result with `kubectl kustomize` where kubectl
 * is installed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyJsonPatch } from './json-patch.mjs';
import { parseYaml, readYamlDocuments } from './yaml-files.mjs';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'images',
  'patches',
  'secretGenerator',
  'generatorOptions',
]);

/** Kinds that have no namespace; kustomize leaves their metadata.namespace unset. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'Node',
]);

export function resourceId(object) {
  const ns = CLUSTER_SCOPED.has(object.kind) ? '' : (object.metadata?.namespace ?? '');
  return `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

function readKustomization(dir) {
  const file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parseYaml(readFileSync(file, 'utf8'), file) ?? {};
  if (k.kind !== undefined && k.kind !== 'Kustomization') throw new Error(`${file}: kind must be Kustomization`);
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field)) throw new Error(`${file}: "${field}" is not supported by scripts/validate-deploy/lib/kustomize.mjs`);
  }
  return { file, k };
}

/** Parses a KEY=VALUE env file the way kustomize's secretGenerator `envs` does. */
export function parseKustomizeEnvFile(text, source) {
  const data = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${source}:${i + 1}: expected KEY=value`);
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new Error(`${source}:${i + 1}: "${key}" is not a valid key`);
    data[key] = line.slice(eq + 1);
  });
  return data;
}

function generateSecrets(dir, k) {
  const options = k.generatorOptions ?? {};
  const out = [];
  for (const gen of k.secretGenerator ?? []) {
    const unsupported = Object.keys(gen).filter((f) => !['name', 'envs', 'literals', 'type', 'options'].includes(f));
    if (unsupported.length) throw new Error(`secretGenerator ${gen.name}: ${unsupported.join(', ')} not supported`);
    const disableHash = gen.options?.disableNameSuffixHash ?? options.disableNameSuffixHash;
    if (disableHash !== true) throw new Error(`secretGenerator ${gen.name}: only disableNameSuffixHash: true is supported`);
    const values = {};
    for (const env of gen.envs ?? [])
      Object.assign(values, parseKustomizeEnvFile(readFileSync(path.join(dir, env), 'utf8'), path.join(dir, env)));
    for (const literal of gen.literals ?? []) {
      const eq = literal.indexOf('=');
      values[literal.slice(0, eq)] = literal.slice(eq + 1);
    }
    const labels = { ...options.labels, ...gen.options?.labels };
    const annotations = { ...options.annotations, ...gen.options?.annotations };
    const metadata = { name: gen.name };
    if (Object.keys(labels).length) metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    const data = Object.fromEntries(Object.entries(values).map(([key, v]) => [key, Buffer.from(v, 'utf8').toString('base64')]));
    out.push({ apiVersion: 'v1', kind: 'Secret', metadata, type: gen.type ?? 'Opaque', data });
  }
  return out;
}

function matchesTarget(object, target) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  if (target.kind !== undefined && target.kind !== object.kind) return false;
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (target.name !== undefined && !new RegExp(`^(?:${target.name})$`).test(object.metadata?.name ?? '')) return false;
  if (target.namespace !== undefined && target.namespace !== (object.metadata?.namespace ?? '')) return false;
  if (target.labelSelector !== undefined) {
    for (const term of String(target.labelSelector).split(',')) {
      const [key, value] = term.split('=').map((s) => s.trim());
      if (value === undefined || object.metadata?.labels?.[key] !== value) {
        if (value === undefined) throw new Error(`labelSelector "${target.labelSelector}": only key=value terms are supported`);
        return false;
      }
    }
  }
  if (target.annotationSelector !== undefined) throw new Error('patch target annotationSelector is not supported');
  return true;
}

function applyPatches(dir, objects, patches) {
  return patches.reduce((current, patch, i) => {
    if (!patch.target) throw new Error(`patches[${i}]: only patches with a target (JSON6902) are supported`);
    const text = patch.patch ?? (patch.path ? readFileSync(path.join(dir, patch.path), 'utf8') : undefined);
    if (text === undefined) throw new Error(`patches[${i}]: needs patch or path`);
    const operations = parseYaml(text, `patches[${i}]`);
    if (!Array.isArray(operations)) throw new Error(`patches[${i}]: only JSON6902 operation lists are supported`);
    let matched = 0;
    const next = current.map((object) => {
      if (!matchesTarget(object, patch.target)) return object;
      matched++;
      try {
        return applyJsonPatch(object, operations);
      } catch (error) {
        throw new Error(`patches[${i}] on ${resourceId(object)}: ${error.message}`);
      }
    });
    if (matched === 0) throw new Error(`patches[${i}]: target ${JSON.stringify(patch.target)} matches no resource`);
    return next;
  }, objects);
}

function splitImage(image) {
  const at = image.indexOf('@');
  const [nameTag, digest] = at >= 0 ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
  const colon = nameTag.lastIndexOf(':');
  const slash = nameTag.lastIndexOf('/');
  return colon > slash
    ? { name: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest }
    : { name: nameTag, tag: undefined, digest };
}

function podSpecsOf(object) {
  const specs = [];
  if (object.spec?.template?.spec) specs.push(object.spec.template.spec);
  if (object.spec?.jobTemplate?.spec?.template?.spec) specs.push(object.spec.jobTemplate.spec.template.spec);
  if (object.kind === 'Pod' && object.spec) specs.push(object.spec);
  return specs;
}

function applyImages(objects, images) {
  for (const object of objects) {
    for (const spec of podSpecsOf(object)) {
      for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const current = splitImage(container.image);
        const rule = images.find((r) => r.name === current.name);
        if (!rule) continue;
        const name = rule.newName ?? current.name;
        if (rule.digest) container.image = `${name}@${rule.digest}`;
        else {
          const tag = rule.newTag ?? current.tag;
          container.image = `${name}${tag ? `:${tag}` : ''}${!rule.newTag && current.digest ? `@${current.digest}` : ''}`;
        }
      }
    }
  }
  return objects;
}

/** The objects `kustomize build dir` would print (in no particular order). */
export function renderKustomization(dir) {
  const { file, k } = readKustomization(dir);
  let objects = [];
  for (const resource of k.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!existsSync(target)) throw new Error(`${file}: resource ${resource} does not exist`);
    if (statSync(target).isDirectory()) objects.push(...renderKustomization(target));
    else objects.push(...readYamlDocuments(target));
  }
  objects.push(...generateSecrets(dir, k));
  for (const object of objects) {
    if (!object?.apiVersion || !object?.kind || !object?.metadata?.name)
      throw new Error(`${file}: a resource lacks apiVersion, kind or metadata.name`);
  }
  objects = applyPatches(dir, objects, k.patches ?? []);
  if (k.namespace) {
    for (const object of objects) {
      if (object.kind === 'Namespace') {
        if (object.metadata.name !== k.namespace) throw new Error(`${file}: renaming Namespace ${object.metadata.name} is not supported`);
      } else if (!CLUSTER_SCOPED.has(object.kind)) {
        object.metadata.namespace = k.namespace;
      }
    }
  }
  objects = applyImages(objects, k.images ?? []);
  const seen = new Set();
  for (const object of objects) {
    const id = resourceId(object);
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
  return objects;
}
