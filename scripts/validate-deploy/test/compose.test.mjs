import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolateCompose, interpolateString } from '../lib/compose-interpolate.mjs';
import { parseEnvFile } from '../lib/env-file.mjs';

describe('compose interpolation', () => {
  const env = { SET: 'v', EMPTY: '' };
  const cases = [
    ['$SET and ${SET}', '$SET-${SET}', 'v-v'],
    ['$$ is a literal $', '$$SET', '$SET'],
    [':- uses the default when unset or empty', '${UNSET:-d}/${EMPTY:-d}/${SET:-d}', 'd/d/v'],
    ['- uses the default only when unset', '${UNSET-d}/${EMPTY-d}', 'd/'],
    [':+ uses the alternative when set and non-empty', '${SET:+a}/${EMPTY:+a}', 'a/'],
    ['a default may hold a variable', '${UNSET:-${SET}}', 'v'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(interpolateString(input, env, { variables: new Set(), required: new Set(), errors: [] }), expected));
  }
  it('reports required variables that are unset or empty, and every variable used', () => {
    const { result, errors, required, variables } = interpolateCompose(
      { a: ['${SET:?x}', '${EMPTY:?must be set}'], b: { c: '${UNSET?gone}' } },
      env,
    );
    assert.deepEqual(result, { a: ['v', ''], b: { c: '' } });
    assert.deepEqual(errors, ['EMPTY: must be set', 'UNSET: gone']);
    assert.deepEqual([...required].sort(), ['EMPTY', 'SET', 'UNSET']);
    assert.deepEqual([...variables].sort(), ['EMPTY', 'SET', 'UNSET']);
  });
});

describe('parseEnvFile', () => {
  it('reads values, quotes and comments, and the keys documented in comments', () => {
    const { values, documented } = parseEnvFile('A=1\nexport B="x y"\nC=\'z\'\nD=plain # note\n# E=default\n# not a KEY line\n');
    assert.deepEqual(values, { A: '1', B: 'x y', C: 'z', D: 'plain' });
    assert.deepEqual([...documented].sort(), ['A', 'B', 'C', 'D', 'E']);
  });
});
