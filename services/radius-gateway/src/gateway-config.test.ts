/** The gateway's environment variables: defaults and refusals that name the key but never echo the value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@tollgate/config';
import { loadGatewayConfig } from './gateway-config.js';

test('config: defaults', () => {
  assert.deepEqual(loadGatewayConfig({}), {
    RADIUS_BIND: '0.0.0.0',
    RADIUS_AUTH_PORT: 1812,
    RADIUS_SOCKET_BUFFER_BYTES: 8 * 1024 * 1024,
    RADIUS_DECISION_RESERVE_MS: 700,
    RADIUS_DICTIONARY_DIR: '',
    RADIUS_DECISION_TIMEOUT_MS: 2800,
    RADIUS_RETRANSMIT_WINDOW_MS: 30_000,
    RADIUS_CLIENTS_RELOAD_MS: 60_000,
    TOLLGATE_TRACE_USERNAMES: false,
  });
});

test('config: IPv6 bind and port 0 are accepted', () => {
  const config = loadGatewayConfig({ RADIUS_BIND: '::', RADIUS_AUTH_PORT: '0' });
  assert.equal(config.RADIUS_BIND, '::');
  assert.equal(config.RADIUS_AUTH_PORT, 0);
});

const bad: Array<[string, string]> = [
  ['RADIUS_BIND', 'localhost'],
  ['RADIUS_AUTH_PORT', '70000'],
  ['RADIUS_AUTH_PORT', 'notaport'],
  ['RADIUS_DECISION_TIMEOUT_MS', '7'],
  ['RADIUS_RETRANSMIT_WINDOW_MS', '-1'],
  ['RADIUS_SOCKET_BUFFER_BYTES', '1'],
  ['RADIUS_CLIENTS_RELOAD_MS', 'often'],
];
for (const [key, value] of bad) {
  test(`config: ${key}=${value} is refused, naming the key`, () => {
    assert.throws(
      () => loadGatewayConfig({ [key]: value }),
      (error: unknown) =>
        error instanceof ConfigError && error.key === key && error.component === 'radius-gateway' && !error.message.includes(value),
    );
  });
}
