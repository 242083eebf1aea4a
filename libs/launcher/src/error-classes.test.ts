/**
 * The error classes of every package, side by side: each is a TollgateError named for its class,
 * with its code, and errorFields logs exactly that name and code, never the message (which may
 * quote an input). The classes a package keeps to itself are held to the same rule by
 * libs/contracts/src/tollgate-error.test.ts, which reads the sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorityError, BusError, TollgateError } from '@tollgate/contracts';
import { ConfigError } from '@tollgate/config';
import { errorFields } from '@tollgate/logging';
import { BatchError, PolicySourceError } from '@tollgate/runtime';
import { KeyringError } from '@tollgate/security';
import { SyslogParseError } from '@tollgate/syslog';
import { TotpError } from '@tollgate/totp';
import { BackendError } from './build-context.js';
import { DataDirError } from './data-dir.js';
import { TargetError } from './targets.js';

const INPUT = 'P@ss-123456';

const errors: Array<[TollgateError, string, string]> = [
  [new AuthorityError('authority_not_allowed', 'authorityHost', `${INPUT} is not allowed`), 'AuthorityError', 'authority_not_allowed'],
  [new BusError('bad_request', `upn: ${INPUT}`), 'BusError', 'bad_request'],
  [new ConfigError('aggregator', 'VERIFIER_TIMEOUT_MS', `is invalid: ${INPUT}`), 'ConfigError', 'config_invalid'],
  [new BatchError(`batch of ${INPUT}`), 'BatchError', 'batch_mismatch'],
  [new PolicySourceError(`policy ${INPUT}`), 'PolicySourceError', 'invalid_policy'],
  [new KeyringError('bad_ciphertext', `sealed ${INPUT}`), 'KeyringError', 'bad_ciphertext'],
  [new SyslogParseError(`bad TIMESTAMP ${INPUT}`), 'SyslogParseError', 'syslog_parse'],
  [new TotpError('invalid_base32', `seed ${INPUT}`), 'TotpError', 'invalid_base32'],
  [new BackendError('postgres', { message: INPUT }), 'BackendError', 'backend_unavailable'],
  [new DataDirError(`${INPUT} is not a directory`), 'DataDirError', 'data_dir'],
  [new TargetError(`unknown target ${INPUT}`), 'TargetError', 'unknown_target'],
  [new TargetError(`${INPUT} needs NATS_URL`, 'needs_nats'), 'TargetError', 'needs_nats'],
];

for (const [error, name, code] of errors) {
  test(`${name} (${code}) is a TollgateError, named for its class, logged by name and code only`, () => {
    assert.ok(error instanceof TollgateError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, name);
    assert.equal(error.code, code);
    assert.ok(error.message.includes(INPUT), 'the message holds the input (so the next check means something)');
    assert.deepEqual(errorFields(error), { name, code });
    assert.ok(!JSON.stringify(errorFields(error)).includes(INPUT));
  });
}

test('error classes: each is an instance of its own class only', () => {
  const classes = [...new Set(errors.map(([e]) => e.constructor as abstract new (...args: never[]) => TollgateError))];
  for (const [error] of errors) {
    const matching = classes.filter((cls) => error instanceof cls);
    assert.deepEqual(matching, [error.constructor], error.name);
  }
});
