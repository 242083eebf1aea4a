import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseKustomizeEnvFile, renderKustomization } from '../lib/kustomize.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'kustomize-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (file, text) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

write('base/kustomization.yaml', 'namespace: app\nresources: [ns.yaml, deploy.yaml]\n');
write('base/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n');
write(
  'base/deploy.yaml',
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: c, image: app}]
      initContainers: [{name: i, image: other:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec: {template: {spec: {containers: [{name: c, image: app}]}}}
`,
);
write(
  'overlay/kustomization.yaml',
  `resources: [../base]
images:
  - {name: app, newName: reg.example/app, newTag: "2.0"}
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - {op: add, path: /spec/replicas, value: 3}
  - target: {kind: Deployment}
    patch: |-
      - {op: add, path: /metadata/labels, value: {tier: x}}
`,
);
write(
  'secrets/kustomization.yaml',
  'namespace: app\ngeneratorOptions: {disableNameSuffixHash: true, labels: {a: b}}\nsecretGenerator:\n  - {name: s, envs: [s.env], literals: [EXTRA=1]}\n',
);
write('secrets/s.env', '# comment\nKEY=va=lue\n\nOTHER=x y\n');

describe('renderKustomization', () => {
  it('renders resources from a base, with namespace, images and patches', () => {
    const objects = renderKustomization(path.join(dir, 'overlay'));
    const web = objects.find((o) => o.metadata.name === 'web');
    const worker = objects.find((o) => o.metadata.name === 'worker');
    assert.equal(web.metadata.namespace, 'app');
    assert.equal(web.spec.replicas, 3);
    assert.equal(worker.spec.replicas, undefined);
    assert.deepEqual(worker.metadata.labels, { tier: 'x' });
    assert.equal(web.spec.template.spec.containers[0].image, 'reg.example/app:2.0');
    assert.equal(web.spec.template.spec.initContainers[0].image, 'other:1');
    assert.equal(objects.find((o) => o.kind === 'Namespace').metadata.namespace, undefined);
  });
  it('generates a Secret from env files and literals', () => {
    const [secret] = renderKustomization(path.join(dir, 'secrets'));
    assert.deepEqual(secret.metadata, { name: 's', labels: { a: 'b' }, namespace: 'app' });
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])), {
      KEY: 'va=lue',
      OTHER: 'x y',
      EXTRA: '1',
    });
  });
  it('refuses kustomize features it does not implement', () => {
    write('unsupported/kustomization.yaml', 'resources: []\ncommonLabels: {a: b}\n');
    assert.throws(() => renderKustomization(path.join(dir, 'unsupported')), /commonLabels" is not supported/);
  });
  it('refuses a patch that matches nothing', () => {
    write('nomatch/kustomization.yaml', 'resources: [../base]\npatches:\n  - target: {kind: Service}\n    patch: "[]"\n');
    assert.throws(() => renderKustomization(path.join(dir, 'nomatch')), /matches no resource/);
  });
  it('refuses a resource defined twice', () => {
    write('twice/kustomization.yaml', 'resources: [../base/deploy.yaml, ../base/deploy.yaml]\n');
    assert.throws(() => renderKustomization(path.join(dir, 'twice')), /defined twice/);
  });
  it('parses env files as kustomize does', () => {
    assert.deepEqual(parseKustomizeEnvFile('A=1\n  # c\nB= 2 \n', 'f'), { A: '1', B: ' 2 ' });
    assert.throws(() => parseKustomizeEnvFile('novalue\n', 'f'), /expected KEY=value/);
  });
});
