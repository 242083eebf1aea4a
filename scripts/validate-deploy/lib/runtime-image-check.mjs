/**
 * The image holds no test code, checked without Docker: the plan deploy/docker/assemble-runtime.mjs
 * copies into the image (run here on the built tree) contains no *.test.js, no e2e/ or testing/
 * directory and nothing of a test-only workspace; no package lists a test-only workspace as a
 * production dependency; and no production source file imports one, or a test helper, since the
 * image would then fail to start (or carry test code after all).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isTestPath, planRuntime, workspaces } from '../../../deploy/docker/assemble-runtime.mjs';

/** Workspaces only tests may use. */
export const TEST_ONLY_WORKSPACES = ['@tollgate/testkit'];

function sourceFiles(root, dir) {
  const out = [];
  const walk = (relative) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(`${dir}/src`);
  return out;
}

const importsOf = (text) => [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);

/**
 * `sources` ({ path: text }) adds or replaces source files and `packages` ({ dir: package.json
 * object }) replaces packages, for the self-check's bad variants.
 */
export function checkRuntimeImage(root, { sources = {}, packages = {} } = {}) {
  const problems = [];
  const all = workspaces(root).map((w) => ({ ...w, packageJson: packages[w.dir] ?? w.packageJson }));
  const testOnly = all.filter((w) => TEST_ONLY_WORKSPACES.includes(w.name));
  for (const ws of all) {
    for (const name of TEST_ONLY_WORKSPACES) {
      if (ws.packageJson.dependencies?.[name])
        problems.push(`${ws.dir}/package.json lists ${name} in dependencies (test code would ship): make it a devDependency`);
    }
  }
  let production = 0;
  for (const ws of all.filter((w) => !testOnly.includes(w))) {
    const files = new Set([...sourceFiles(root, ws.dir), ...Object.keys(sources).filter((f) => f.startsWith(`${ws.dir}/src/`))]);
    for (const file of files) {
      if (isTestPath(file.slice(`${ws.dir}/src/`.length))) continue;
      production++;
      const text = sources[file] ?? readFileSync(path.join(root, file), 'utf8');
      for (const specifier of importsOf(text)) {
        if (TEST_ONLY_WORKSPACES.some((name) => specifier === name || specifier.startsWith(`${name}/`)))
          problems.push(`${file} imports ${specifier}, a test-only workspace (production code must not; move it beside the tests)`);
        else if (specifier.startsWith('.') && isTestPath(specifier)) problems.push(`${file} imports the test helper ${specifier}`);
      }
    }
  }
  const plan = planRuntime(root);
  const testDirs = testOnly.map((w) => `${w.dir}/`);
  for (const file of plan.files) {
    if (isTestPath(file) || testDirs.some((d) => file.startsWith(d))) problems.push(`the image would contain test code: ${file}`);
  }
  for (const ws of testOnly)
    if (!plan.droppedLinks.includes(`node_modules/${ws.name}`)) problems.push(`the image would keep node_modules/${ws.name}`);
  return {
    problems,
    summary: `${plan.files.length} files in the image's workspaces, ${production} production sources checked, left out: ${plan.left.join(', ') || 'nothing'}`,
  };
}

const VARIANTS = [
  {
    name: 'a production file importing the testkit',
    expect: /services\/aggregator\/src\/bad-import\.ts imports @tollgate\/testkit/,
    options: { sources: { 'services/aggregator/src/bad-import.ts': "import { createTestDatabase } from '@tollgate/testkit';\n" } },
  },
  {
    name: 'a production file importing a test helper',
    expect: /services\/admin-api\/src\/bad-helper\.ts imports the test helper \.\/testing\/admin-api-harness\.js/,
    options: { sources: { 'services/admin-api/src/bad-helper.ts': "export { startAdminApi } from './testing/admin-api-harness.js';\n" } },
  },
  {
    name: 'the testkit as a production dependency',
    expect: /services\/aggregator\/package\.json lists @tollgate\/testkit in dependencies/,
    options: (root) => {
      const pkg = JSON.parse(readFileSync(path.join(root, 'services/aggregator/package.json'), 'utf8'));
      return { packages: { 'services/aggregator': { ...pkg, dependencies: { ...pkg.dependencies, '@tollgate/testkit': '*' } } } };
    },
  },
];

/** Known-bad variants must be reported. */
export function selfCheckRuntimeImage(root) {
  const failures = [];
  for (const variant of VARIANTS) {
    const options = typeof variant.options === 'function' ? variant.options(root) : variant.options;
    if (!checkRuntimeImage(root, options).problems.some((p) => variant.expect.test(p)))
      failures.push(`image-contents check missed: ${variant.name}`);
  }
  return { failures, count: VARIANTS.length };
}
