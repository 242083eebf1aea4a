import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthorityError, BusError, TollgateError } from './index.js';

class PlainError extends TollgateError<'first' | 'second'> {}
class WithOwnConstructor extends TollgateError<'fixed'> {
  constructor(message: string) {
    super('fixed', message);
  }
}
/** A subclass of a subclass is named for itself, and is still both of its parents. */
class NarrowerError extends PlainError {}

const cases: Array<{
  error: TollgateError;
  name: string;
  code: string;
  message: string;
  classes: Array<abstract new (...args: never[]) => TollgateError>;
}> = [
  { error: new PlainError('first', 'a plain one'), name: 'PlainError', code: 'first', message: 'a plain one', classes: [PlainError] },
  {
    error: new WithOwnConstructor('fixed code'),
    name: 'WithOwnConstructor',
    code: 'fixed',
    message: 'fixed code',
    classes: [WithOwnConstructor],
  },
  {
    error: new NarrowerError('second', 'narrower'),
    name: 'NarrowerError',
    code: 'second',
    message: 'narrower',
    classes: [NarrowerError, PlainError],
  },
  { error: new BusError('no_responders', 'nobody'), name: 'BusError', code: 'no_responders', message: 'nobody', classes: [BusError] },
  {
    error: new AuthorityError('tenant_invalid', 'tenantId', 'must be a GUID'),
    name: 'AuthorityError',
    code: 'tenant_invalid',
    message: 'must be a GUID',
    classes: [AuthorityError],
  },
];

for (const c of cases) {
  test(`TollgateError: ${c.name} has its class's name, its code, and is an Error`, () => {
    assert.equal(c.error.name, c.name);
    assert.equal(c.error.code, c.code);
    assert.equal(c.error.message, c.message);
    assert.ok(c.error instanceof TollgateError);
    assert.ok(c.error instanceof Error);
    for (const cls of c.classes) assert.ok(c.error instanceof cls, `instanceof ${cls.name}`);
    assert.ok(c.error.stack?.startsWith(`${c.name}: ${c.message}`), 'the stack names the class');
    assert.equal(String(c.error), `${c.name}: ${c.message}`);
  });
}

test('TollgateError: one class is never an instance of a sibling', () => {
  const errors = [new PlainError('first', 'x'), new WithOwnConstructor('x'), new BusError('timeout', 'x')];
  const classes = [PlainError, WithOwnConstructor, BusError];
  for (const [i, error] of errors.entries()) {
    for (const [j, cls] of classes.entries()) assert.equal(error instanceof cls, i === j, `${error.name} instanceof ${cls.name}`);
  }
  assert.equal(new Error('x') instanceof TollgateError, false);
});

test('TollgateError: a cause is kept', () => {
  const cause = new Error('underlying');
  assert.equal(new PlainError('first', 'wrapped', { cause }).cause, cause);
});

/**
 * Every error class of the code base extends TollgateError (directly or through another of ours);
 * test files may stand in for other libraries' errors.
 */
test('TollgateError: no error class of the code base extends a built-in error directly', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const offenders: string[] = [];
  let classes = 0;
  for (const group of ['libs', 'services']) {
    for (const pkg of readdirSync(path.join(root, group))) {
      const src = path.join(root, group, pkg, 'src');
      for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.d.ts') || /\.(test|int\.test|e2e\.test)\.ts$/.test(file)) continue;
        const text = readFileSync(path.join(src, file), 'utf8');
        for (const match of text.matchAll(/class (\w+)(?:<[^>]*>)? extends (\w+)/g)) {
          if (!/Error$|Violation$/.test(match[1]!) && !/Error\b/.test(match[2]!)) continue;
          classes++;
          if (/^(Error|TypeError|RangeError|SyntaxError)$/.test(match[2]!) && match[1] !== 'TollgateError')
            offenders.push(`${group}/${pkg}/src/${file}: ${match[1]} extends ${match[2]}`);
        }
      }
    }
  }
  assert.ok(classes >= 15, `found the error classes (${classes})`);
  assert.deepEqual(offenders, []);
});
