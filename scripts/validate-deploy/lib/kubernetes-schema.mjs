/**
 * Validates Kubernetes objects against the API's schemas, offline, with the schemas the
 * kubernetes-models package generates from the Kubernetes OpenAPI spec: (1) its JSON-schema
 * validators (types, required fields, enums, formats such as quantities), and (2) a strict check
 * that no object carries a field the API does not define (a misspelt `readynessProbe` would be
 * dropped silently by the API server): each object is type-checked by the TypeScript compiler as
 * an object literal of the model's type, whose excess-property check rejects unknown fields at any
 * depth.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** apiVersion -> the kubernetes-models module of that group/version. */
const MODULES = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
};

export function modelFor(object) {
  const module = MODULES[object.apiVersion];
  if (!module) return undefined;
  const Model = require(module)[object.kind];
  return Model ? { module, Model } : undefined;
}

const label = (object) => `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;

/** JSON-schema validation of each object; returns [{object, message}]. */
export function validateWithSchemas(objects) {
  const problems = [];
  for (const object of objects) {
    const found = modelFor(object);
    if (!found) {
      problems.push({ object: label(object), message: `no Kubernetes schema for ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new found.Model(structuredClone(object)).validate();
    } catch (error) {
      problems.push({ object: label(object), message: String(error.message ?? error) });
    }
  }
  return problems;
}

/** Unknown-field check of each object through the TypeScript compiler; returns [{object, message}]. */
export function checkUnknownFields(objects) {
  const typed = objects.map((object) => ({ object, found: modelFor(object) })).filter((x) => x.found);
  const virtualFile = path.join(PACKAGE_DIR, '__rendered_manifests__.ts');
  const lines = [];
  const owners = [];
  typed.forEach(({ object, found }, i) => {
    const start = lines.length;
    lines.push(`import type { I${object.kind} as T${i} } from '${found.module}/${object.kind}';`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};`.split('\n'));
    owners.push({ start, end: lines.flat().length, object });
    lines.splice(0, lines.length, ...lines.flat());
  });
  const source = lines.join('\n');
  const options = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
    baseUrl: PACKAGE_DIR,
  };
  const host = ts.createCompilerHost(options);
  const realGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    path.resolve(fileName) === virtualFile
      ? ts.createSourceFile(fileName, source, languageVersion, true)
      : realGetSourceFile(fileName, languageVersion, ...rest);
  const realFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => path.resolve(fileName) === virtualFile || realFileExists(fileName);
  const program = ts.createProgram([virtualFile], options, host);
  const problems = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || path.resolve(diagnostic.file.fileName) !== virtualFile || diagnostic.start === undefined) {
      problems.push({ object: '(type check)', message });
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners.find((o) => line >= o.start && line < o.end);
    problems.push({ object: owner ? label(owner.object) : '(type check)', message });
  }
  return problems;
}
