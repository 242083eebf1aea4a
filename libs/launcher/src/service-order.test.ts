import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceOrderError, startOrder, type Dependent } from './service-order.js';

const s = (name: string, ...dependsOn: string[]): Dependent => ({ name, dependsOn });
const names = (services: Dependent[]) => startOrder(services).map((x) => x.name);

const orders: Array<[string, Dependent[], string[]]> = [
  ['no services', [], []],
  ['independent services keep the registry order', [s('a'), s('b'), s('c')], ['a', 'b', 'c']],
  ['a dependency starts first, wherever it is registered', [s('gateway', 'aggregator'), s('aggregator')], ['aggregator', 'gateway']],
  ['a chain', [s('c', 'b'), s('b', 'a'), s('a')], ['a', 'b', 'c']],
  [
    'waves: a service waits for the wave after its deepest dependency',
    [s('late', 'mid'), s('early'), s('mid', 'early'), s('also-early')],
    ['early', 'also-early', 'mid', 'late'],
  ],
  ['a diamond', [s('top', 'left', 'right'), s('left', 'base'), s('right', 'base'), s('base')], ['base', 'left', 'right', 'top']],
  [
    "Tollgate's services: the verifiers, then the aggregator and the admin API, the gateway last",
    [
      s('radius-gateway', 'aggregator'),
      s('aggregator', 'otp-verifier', 'entra-verifier'),
      s('otp-verifier'),
      s('entra-verifier'),
      s('admin-api', 'entra-verifier'),
    ],
    ['otp-verifier', 'entra-verifier', 'aggregator', 'admin-api', 'radius-gateway'],
  ],
];
for (const [name, services, expected] of orders) {
  test(`start order: ${name}`, () => {
    const order = names(services);
    assert.deepEqual(order, expected);
    for (const service of services)
      for (const d of service.dependsOn) assert.ok(order.indexOf(d) < order.indexOf(service.name), `${d} before ${service.name}`);
  });
}

const refused: Array<[string, Dependent[], ServiceOrderError['code'], RegExp]> = [
  [
    'an unknown dependency is named',
    [s('a', 'ghost')],
    'unknown_dependency',
    /service a depends on ghost, which is not a registered service/,
  ],
  ['a service depending on itself', [s('a', 'a')], 'dependency_cycle', /cycle: a -> a$/],
  ['a two-service cycle', [s('a', 'b'), s('b', 'a')], 'dependency_cycle', /cycle: a -> b -> a$/],
  [
    'a cycle behind a service that could start',
    [s('free'), s('x', 'free', 'z'), s('y', 'x'), s('z', 'y')],
    'dependency_cycle',
    /cycle: x -> z -> y -> x$/,
  ],
  ['a service registered twice', [s('a'), s('a')], 'duplicate_service', /service a is registered twice/],
];
for (const [name, services, code, message] of refused) {
  test(`start order refuses ${name}`, () => {
    assert.throws(
      () => startOrder(services),
      (e: unknown) => e instanceof ServiceOrderError && e.code === code && e.name === 'ServiceOrderError' && message.test(e.message),
    );
  });
}
