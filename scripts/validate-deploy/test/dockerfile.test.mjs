import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIgnored, parseDockerfile } from '../lib/dockerfile-check.mjs';
import { toNatsConf } from '../lib/nats-check.mjs';

describe('parseDockerfile', () => {
  it('joins continuation lines and skips comments', () => {
    const parsed = parseDockerfile('# c\nFROM a AS b\nRUN x \\\n  && y\n\nUSER 1000\n');
    assert.deepEqual(
      parsed.map((i) => [i.instruction, i.args]),
      [
        ['FROM', 'a AS b'],
        ['RUN', 'x    && y'],
        ['USER', '1000'],
      ],
    );
  });
});

describe('isIgnored (.dockerignore)', () => {
  const patterns = ['**/node_modules', 'docs', 'deploy/*', '!deploy/docker', '.env'];
  const cases = [
    ['node_modules', true],
    ['libs/a/node_modules/x', true],
    ['docs/a.md', true],
    ['deploy/nats/x.conf', true],
    ['deploy/docker/assemble-runtime.sh', false],
    ['.env', true],
    ['.env.example', false],
    ['libs/a/src/index.ts', false],
  ];
  for (const [file, expected] of cases)
    it(`${file} -> ${expected ? 'ignored' : 'sent'}`, () => assert.equal(isIgnored(file, patterns), expected));
});

describe('toNatsConf (Helm values to nats-server configuration)', () => {
  it('writes << raw >> values unquoted and everything else quoted', () => {
    assert.equal(
      toNatsConf({ users: [{ user: 'a', password: '<< $PW >>', permissions: { publish: { allow: ['$SRV.*'] } } }] }),
      '{\n  users: [{\n    user: "a"\n    password: $PW\n    permissions: {\n      publish: {\n        allow: ["$SRV.*"]\n      }\n    }\n  }]\n}',
    );
  });
});
