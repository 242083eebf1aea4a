import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isTestPath, planRuntime, runtimeWorkspaces, workspaceDirs } from '../../../deploy/docker/assemble-runtime.mjs';

describe('isTestPath (what never goes into the image)', () => {
  const cases = [
    ['index.js', false],
    ['decode-request.js', false],
    ['e2e-like.js', false],
    ['testing-ground.js', false],
    ['decode-request.test.js', true],
    ['gateway.int.test.js', true],
    ['embedded.e2e.test.js', true],
    ['e2e/stack.js', true],
    ['testing/admin-api-harness.js', true],
    ['a/b/testing/c.js', true],
    ['./testing/x.js', true],
  ];
  for (const [file, expected] of cases)
    it(`${file} -> ${expected ? 'test code' : 'production'}`, () => assert.equal(isTestPath(file), expected));
});

/** A small repository: an entry workspace, a library it needs, and a test-only kit. */
function fixture() {
  const root = mkdtempSync(path.join(tmpdir(), 'assemble-runtime-'));
  const pkg = (dir, json, files = {}) => {
    mkdirSync(path.join(root, dir, 'dist'), { recursive: true });
    writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(json));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, dir, file)), { recursive: true });
      writeFileSync(path.join(root, dir, file), text);
    }
  };
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['libs/*', 'tools/one'] }));
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  pkg(
    'libs/launcher',
    { name: '@tollgate/launcher', dependencies: { '@tollgate/lib': '*' }, devDependencies: { '@tollgate/testkit': '*' } },
    {
      'dist/main.js': '',
      'dist/main.d.ts': '',
      'dist/main.js.map': '',
      'dist/main.test.js': '',
      'dist/e2e/stack.js': '',
    },
  );
  pkg('libs/lib', { name: '@tollgate/lib' }, { 'dist/index.js': '', 'dist/testing/helper.js': '', 'migrations/001.sql': '' });
  pkg('libs/testkit', { name: '@tollgate/testkit' }, { 'dist/index.js': '' });
  pkg('tools/one', { name: '@tollgate/tool' }, { 'dist/index.js': '' });
  mkdirSync(path.join(root, 'libs/not-a-package'));
  return root;
}

describe('the runtime plan', () => {
  it('expands workspace globs to the directories holding a package.json', () => {
    const root = fixture();
    try {
      assert.deepEqual(workspaceDirs(root), ['libs/launcher', 'libs/lib', 'libs/testkit', 'tools/one']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  it('takes the launcher and its production dependencies, without tests, types, maps or test-only workspaces', () => {
    const root = fixture();
    try {
      assert.deepEqual(
        runtimeWorkspaces(root).map((w) => w.name),
        ['@tollgate/launcher', '@tollgate/lib'],
      );
      const plan = planRuntime(root);
      assert.deepEqual(plan.files.sort(), [
        'libs/launcher/dist/main.js',
        'libs/launcher/package.json',
        'libs/lib/dist/index.js',
        'libs/lib/migrations/001.sql',
        'libs/lib/package.json',
        'package-lock.json',
        'package.json',
      ]);
      assert.deepEqual(plan.left, ['libs/testkit', 'tools/one']);
      assert.deepEqual(plan.droppedLinks, ['node_modules/@tollgate/testkit', 'node_modules/@tollgate/tool']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
