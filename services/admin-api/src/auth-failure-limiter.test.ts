import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthFailureLimiter, sourceKey } from './auth-failure-limiter.js';

/** A limiter of 3 failures a 60 s window, on a clock the test moves. */
function limiter(maxSources?: number) {
  let now = 1_000_000;
  const l = new AuthFailureLimiter({ maxFailures: 3, windowMs: 60_000, ...(maxSources ? { maxSources } : {}) }, () => now);
  return {
    l,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

type Step = ['fail' | 'succeed', string] | ['wait', number] | ['admit', string, true | number];

// Each row: what happens, in order; an `admit` step says allowed (true) or the Retry-After in ms.
const cases: Array<[string, Step[]]> = [
  [
    'fewer failures than the limit are admitted',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['admit', 'a', true],
    ],
  ],
  [
    'the limit reached: refused until the window opened by the first failure ends',
    [
      ['fail', 'a'],
      ['wait', 10_000],
      ['fail', 'a'],
      ['fail', 'a'],
      ['admit', 'a', 50_000],
      ['wait', 49_000],
      ['admit', 'a', 1_000],
    ],
  ],
  [
    'after the window the source starts again',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['fail', 'a'],
      ['wait', 60_000],
      ['admit', 'a', true],
      ['fail', 'a'],
      ['admit', 'a', true],
    ],
  ],
  [
    'failures in an expired window do not count in the next',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['wait', 60_001],
      ['fail', 'a'],
      ['fail', 'a'],
      ['admit', 'a', true],
    ],
  ],
  [
    'one source over its limit does not throttle another',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['fail', 'a'],
      ['admit', 'a', 60_000],
      ['admit', 'b', true],
    ],
  ],
  [
    'a success resets its own source only',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['fail', 'b'],
      ['fail', 'b'],
      ['succeed', 'a'],
      ['fail', 'a'],
      ['fail', 'a'],
      ['admit', 'a', true],
      ['fail', 'b'],
      ['admit', 'b', 60_000],
    ],
  ],
  [
    'a success of another source does not lift a throttle',
    [
      ['fail', 'a'],
      ['fail', 'a'],
      ['fail', 'a'],
      ['succeed', 'b'],
      ['admit', 'a', 60_000],
    ],
  ],
];

describe('AuthFailureLimiter', () => {
  for (const [name, steps] of cases) {
    test(name, () => {
      const { l, advance } = limiter();
      steps.forEach((step, i) => {
        switch (step[0]) {
          case 'fail':
            l.fail(step[1]);
            break;
          case 'succeed':
            l.succeed(step[1]);
            break;
          case 'wait':
            advance(step[1]);
            break;
          case 'admit': {
            const expected = step[2] === true ? { allowed: true } : { allowed: false, retryAfterMs: step[2] };
            assert.deepEqual(l.admit(step[1]), expected, `step ${i}`);
            break;
          }
        }
      });
    });
  }

  test('remembers at most maxSources: expired ones go first, then the oldest', () => {
    const { l, advance } = limiter(3);
    l.fail('old');
    advance(60_000);
    for (const s of ['a', 'b']) for (let i = 0; i < 3; i++) l.fail(s);
    l.fail('c');
    assert.equal(l.size, 3, 'the expired source made room');
    assert.equal(l.admit('a').allowed, false);
    l.fail('d');
    assert.equal(l.size, 3);
    assert.equal(l.admit('a').allowed, true, 'the oldest live source was forgotten');
    assert.equal(l.admit('b').allowed, false);
  });

  test('refuses limits that would never throttle or always would', () => {
    assert.throws(() => new AuthFailureLimiter({ maxFailures: 0, windowMs: 1000 }));
    assert.throws(() => new AuthFailureLimiter({ maxFailures: 3, windowMs: 0 }));
  });
});

describe('sourceKey', () => {
  const keys: Array<[string | undefined, string]> = [
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::ffff', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
    [undefined, 'unknown'],
  ];
  for (const [address, key] of keys) test(`${address} -> ${key}`, () => assert.equal(sourceKey(address), key));
  test('two hosts of one /64 are one source, of two /64s two', () => {
    assert.equal(sourceKey('2001:db8::1'), sourceKey('2001:db8::2'));
    assert.notEqual(sourceKey('2001:db8:0:1::1'), sourceKey('2001:db8:0:2::1'));
  });
});
