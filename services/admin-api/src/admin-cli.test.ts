import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCliError, parseAdminCreateArgs } from './admin-cli.js';

test('admin create arguments', () => {
  const ok: [string[], object][] = [
    [['create', 'alice', '--role', 'admin'], { username: 'alice', role: 'admin', replace: false }],
    [['create', 'bob', '--role=helpdesk', '--replace'], { username: 'bob', role: 'helpdesk', replace: true }],
  ];
  for (const [argv, expected] of ok) assert.deepEqual(parseAdminCreateArgs(argv), expected, argv.join(' '));
  const bad: [string[], RegExp][] = [
    [[], /usage/],
    [['delete', 'alice', '--role', 'admin'], /usage/],
    [['create', '--role', 'admin'], /usage/],
    [['create', 'Alice', '--role', 'admin'], /username/],
    [['create', 'alice'], /--role/],
    [['create', 'alice', '--role', 'root'], /--role/],
    [['create', 'alice', '--role', 'admin', '--force'], /unknown argument/],
  ];
  for (const [argv, message] of bad)
    assert.throws(
      () => parseAdminCreateArgs(argv),
      (e: unknown) => e instanceof AdminCliError && message.test(e.message),
      argv.join(' '),
    );
});
